import GoBinary

/// Step 1: only a dynamically linked gateway that links package `plugin` can open plugins.
enum HostSupport {
    static func finding(_ host: HostFacts) -> Finding {
        if let kind = host.staticCgo {
            let what: String
            switch kind {
            case .glibc: what = "the plugin is mapped, its Go runtime registers its module with its own copy of the runtime instead of the gateway's, and the gateway dies"
            case .musl: what = "musl's static dlopen is a stub: every plugin.Open fails with \"Dynamic loading not supported\""
            case .unknown: what = "whether its C library's static dlopen maps plugins (glibc: then the gateway dies) or refuses them (musl) could not be told"
            }
            return Finding(check: .hostPluginSupport, severity: .error, plugin: nil,
                           gateway: "linked statically with cgo (CGO_ENABLED=1, no program interpreter, package plugin linked)",
                           explanation: "the gateway was linked statically although built with cgo (-linkmode external -extldflags -static): " + what + "; no plugin can load into it",
                           fix: "link the gateway dynamically: build it with CGO_ENABLED=1 and without -extldflags -static (no rebuild of the plugin can help)")
        }
        if !host.isDynamic {
            return Finding(check: .hostPluginSupport, severity: .error, plugin: nil, gateway: "statically linked (no program interpreter)",
                           explanation: "the gateway was built without cgo (CGO_ENABLED=0) or linked statically, so Go compiled in the stub plugin package: every plugin.Open returns \"plugin: not implemented\"",
                           fix: "build the gateway with CGO_ENABLED=1 and a C compiler, dynamically linked")
        }
        return Finding(check: .hostPluginSupport, severity: .error, plugin: nil, gateway: "does not link package plugin",
                       explanation: "the gateway exports no package fingerprints, which the linker writes only when package plugin is linked: it cannot open plugins",
                       fix: "use a gateway build that imports package plugin")
    }

    static func notAGoHost(_ gateway: Artifact) -> Finding {
        let what: String, explanation: String
        if let e = gateway.readError {
            what = e.description
            explanation = "the gateway file cannot be read (\(e.description)), so what plugin.Open would do cannot be predicted"
        } else {
            if gateway.go?.role == .plugin { what = "a Go plugin, not an executable" }
            else if gateway.go == nil || gateway.go?.role == .notGo { what = "not a Go program" }
            else { what = "a Go shared library, not an executable" }
            explanation = "the gateway file is \(what), so it does not open Go plugins"
        }
        return Finding(check: .hostPluginSupport, severity: .error, plugin: nil, gateway: what,
                       explanation: explanation,
                       fix: "pass the gateway executable (the binary in the gateway's image) as the last argument")
    }
}

/// Shared objects that are not Go plugins add no Go module; the runtime then looks at
/// whichever module came last.
enum NotAPlugin {
    static func finding(_ plugin: Artifact, afterFailure: Bool) -> Finding {
        let what = plugin.go?.role == .sharedLibrary ? "a Go c-shared library" : (plugin.go?.role == .plugin ? "a Go plugin" : "a shared library that is not Go")
        return Finding(check: .goPlugin, severity: .error, plugin: what, gateway: nil,
                       explanation: "dlopen accepts it, but it registers no Go module; "
                           + (afterFailure ? "the last module the runtime knows belongs to a plugin that failed, " : "no plugin was loaded before it, ")
                           + "so the runtime finds no plugin module data and the gateway dies",
                       fix: "keep only Go plugins (go build -buildmode=plugin) in the plugin folder")
    }

    static func alreadyLoadedFinding(_ plugin: Artifact, loaded: Artifact) -> Finding {
        let sameFile = plugin.fileID != nil && plugin.fileID == loaded.fileID
        let what = sameFile ? "the same file as \(loaded.path) (a hard link)" :
            (plugin.go?.role == .plugin ? "a Go plugin" : plugin.go?.role == .sharedLibrary ? "a Go c-shared library, not a plugin" : "a shared library that is not a Go plugin")
        return Finding(check: sameFile ? .pluginPath : .goPlugin, severity: .error, plugin: what, gateway: loaded.path,
                       explanation: sameFile
                           ? "dlopen returns the object already loaded for the same file, so no new module appears and the runtime sees the earlier plugin again"
                           : "it adds no Go module, so the runtime sees the module of the last plugin loaded (\(loaded.path)) and reports it as already loaded",
                       fix: sameFile ? "deploy each plugin once" : "keep only Go plugins (go build -buildmode=plugin) in the plugin folder")
    }
}

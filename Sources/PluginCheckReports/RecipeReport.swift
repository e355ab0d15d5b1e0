import Foundation
import PluginCompat

/// `plugincheck recipe` as a runnable shell script, a Dockerfile or JSON. The script and the
/// Dockerfile carry the same environment, module edits and `go build` line.
public enum RecipeReport {
    public enum Format: String, Sendable, CaseIterable {
        case sh, dockerfile, json
    }

    public static func render(_ r: BuildRecipe, format: Format) -> String {
        switch format {
        case .sh: return script(r)
        case .dockerfile: return dockerfile(r)
        case .json: return JSONOutput.encode(r) + "\n"
        }
    }

    static func header(_ r: BuildRecipe) -> [String] {
        [r.canLoad ? "# plugincheck recipe \(ToolVersion.current): a plugin build that \(r.gateway) will load"
                   : "# plugincheck recipe \(ToolVersion.current): no plugin build that \(r.gateway) will load can be given",
         "# gateway: \(r.toolchain), \(r.goos)/\(r.goarch), \(r.libc)" + (r.highestGlibc.map { " (needs up to \($0))" } ?? "")]
    }

    static func limitLines(_ r: BuildRecipe) -> [String] {
        r.limits.isEmpty ? [] : ["#", "# Not matched from the binary alone:"] + r.limits.map { "#   - " + $0 }
    }

    /// A POSIX shell script, run in the plugin's module folder (or given it as $1).
    public static func script(_ r: BuildRecipe) -> String {
        var l = ["#!/bin/sh"] + header(r)
        l.append("# Run it in the plugin's module folder, or pass that folder as the first argument;")
        l.append("# OUT names the file to write (default plugin.so), GO the go command (default \(r.goCommand)).")
        l += limitLines(r)
        l.append("set -eu")
        guard r.canLoad else {
            let why = r.limits.first { $0.hasPrefix("cannot") } ?? "no plugin can load into this gateway"
            l.append("echo \(BuildRecipe.quote("plugincheck recipe: " + why)) >&2")
            l.append("exit 1")
            return l.joined(separator: "\n") + "\n"
        }
        l.append("cd \"${1:-\(r.moduleDirectory.map(BuildRecipe.quote) ?? ".")}\"")
        l.append("OUT=${OUT:-plugin.so}")
        l.append("# The toolchain: \(r.toolchain) exactly. Install it as \(r.goCommand) with")
        l.append("#   go install golang.org/dl/\(r.goCommand)@latest && \(r.goCommand) download")
        l.append("# or unpack https://go.dev/dl/\(r.toolchain).\(r.goos)-\(r.goarch == "arm" ? "armv6l" : r.goarch).tar.gz and set GO to its bin/go,")
        l.append("# or build in the image \(r.builderImage) (plugincheck recipe --format dockerfile).")
        l.append("GO=${GO:-\(r.goCommand)}")
        l.append("command -v \"$GO\" >/dev/null 2>&1 || { echo \"plugincheck recipe: $GO not found: go install golang.org/dl/\(r.goCommand)@latest && \(r.goCommand) download\" >&2; exit 1; }")
        l.append("case \"$(\"$GO\" env GOVERSION)\" in \(r.toolchain)) ;; *) echo \"plugincheck recipe: $GO is $(\"$GO\" env GOVERSION), the gateway needs \(r.toolchain)\" >&2; exit 1 ;; esac")
        for v in r.environment {
            l.append("export \(v.name)=\(BuildRecipe.quote(v.value))   # \(v.why)")
        }
        if !r.directories.isEmpty {
            l.append("# The gateway was built without -trimpath; its directories are part of its fingerprints:")
            for d in r.directories { l.append("#   \(d.kind.rawValue) \(d.path): \(d.note)") }
        }
        if !r.moduleEdits.isEmpty {
            l.append("# Align the module with the gateway's modules:")
            for e in r.moduleEdits { l.append(goCommand(e)) }
        }
        l.append(goCommand(r.buildCommand.replacingPrefix(r.goCommand + " ", with: "go ")).replacing("-o plugin.so", with: "-o \"$OUT\""))
        return l.joined(separator: "\n") + "\n"
    }

    /// "go mod edit ..." as the script runs it: with the pinned toolchain.
    static func goCommand(_ line: String) -> String {
        line.hasPrefix("go ") ? "\"$GO\" " + line.dropFirst(3) : line
    }

    /// A multi-stage Dockerfile: the builder with the pinned toolchain and C library, then the
    /// plugin alone.
    public static func dockerfile(_ r: BuildRecipe) -> String {
        var l = ["# syntax=docker/dockerfile:1"] + header(r)
        l.append("# Build with: docker build -o out . (the plugin is written to out/plugin.so)")
        l += limitLines(r)
        guard r.canLoad else {
            let why = r.limits.first { $0.hasPrefix("cannot") } ?? "no plugin can load into this gateway"
            l.append("# plugincheck recipe: \(why)")
            l.append("FROM scratch")
            return l.joined(separator: "\n") + "\n"
        }
        l.append("FROM \(r.builderImage) AS build")
        let musl = r.libc == "musl"
        let cross = r.environment.first { $0.name == "CC" }?.value
        if musl && !r.builderImage.hasPrefix("krakend/") {
            l.append("RUN apk add --no-cache gcc musl-dev")
        } else if let cc = cross, cc != "gcc", !musl {
            l.append("RUN apt-get update && apt-get install -y --no-install-recommends gcc-\(cc.dropLast(4)) libc6-dev-\(debianArch(r.goarch))-cross && rm -rf /var/lib/apt/lists/*")
        }
        for v in r.environment {
            // In the image, `gcc` is the C library's own compiler (musl's on Alpine).
            let value = v.name == "CC" && musl ? "gcc" : v.value
            l.append("ENV \(v.name)=\(BuildRecipe.quote(value))")
        }
        l.append("WORKDIR /src")
        l.append("COPY . .")
        for e in r.moduleEdits { l.append("RUN " + e) }
        l.append("RUN " + r.buildCommand.replacingPrefix(r.goCommand + " ", with: "go ").replacing("-o plugin.so", with: "-o /out/plugin.so"))
        l.append("FROM scratch")
        l.append("COPY --from=build /out/plugin.so /plugin.so")
        return l.joined(separator: "\n") + "\n"
    }

    static func debianArch(_ goarch: String) -> String {
        ["amd64": "amd64", "arm64": "arm64", "386": "i386", "arm": "armhf", "riscv64": "riscv64", "ppc64le": "ppc64el", "s390x": "s390x"][goarch] ?? goarch
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with other: String) -> String {
        hasPrefix(prefix) ? other + dropFirst(prefix.count) : self
    }
}

/// `plugincheck recipe` as a call: writes the recipe, returns the exit status (0 written, 1 no
/// plugin can load into the gateway, 2 an input cannot be read).
public enum RecipeRun {
    public static func run(gateway: String, module: String?, package: String, format: RecipeReport.Format,
                           stdout: (String) -> Void, stderr: (String) -> Void) -> Int32 {
        switch make(gateway: gateway, module: module, package: package) {
        case .failure(let e):
            stderr(e.line + "\n")
            return 2
        case .success(let r):
            stdout(RecipeReport.render(r, format: format))
            return r.canLoad ? 0 : 1
        }
    }

    /// The recipe for the gateway inside a container image: the program its entrypoint starts,
    /// or the file at `gatewayPath` in it. The recipe names it by its path in the image.
    public static func run(image: String, gatewayPath: String?, module: String?, package: String, format: RecipeReport.Format,
                           stdout: (String) -> Void, stderr: (String) -> Void) -> Int32 {
        let unpacked: UnpackedImage
        do { unpacked = try UnpackedImage.unpack(image) } catch {
            stderr("\(error.path): \(error.reason)\n")
            return 2
        }
        defer { unpacked.remove() }
        guard let program = gatewayPath ?? unpacked.entrypointProgram() else {
            stderr("\(image): the image has no entrypoint or command: name the gateway with --gateway-path\n")
            return 2
        }
        let host = PluginFolder.location(of: program, workdir: unpacked.workingDirectory ?? "/", root: unpacked.root)
        switch make(gateway: host, module: module, package: package) {
        case .failure(let e):
            stderr("\(program): \(e.reason)\n")
            return 2
        case .success(var r):
            // Paths in the unpacked root (the gateway's, its directories) as the image names them.
            r = ComparisonRun.relabel(r, root: unpacked.root)
            r.gateway = program
            stdout(RecipeReport.render(r, format: format))
            return r.canLoad ? 0 : 1
        }
    }

    static func make(gateway: String, module: String?, package: String) -> Result<BuildRecipe, RecipeError> {
        // The module graph is read as the recipe's build will: outside any workspace.
        let env = DepsRun.processEnvironment().merging(["GOWORK": "off"]) { _, b in b }
        return BuildRecipe.make(gateway: gateway, module: module, package: package, environment: env)
    }
}

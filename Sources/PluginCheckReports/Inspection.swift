import PluginCompat

/// `plugincheck inspect` in text or JSON: one report per path, errors on stderr as
/// `path: reason`, every path processed; exit status 2 when any could not be read.
public enum Inspection {
    public static func run(paths: [String], json: Bool, stdout: (String) -> Void, stderr: (String) -> Void) -> Int32 {
        var status: Int32 = 0
        var reports: [FileReport] = []
        for path in paths {
            let report = FileReport.read(path: path)
            if let e = report.error {
                stderr("\(path): \(e)\n")
                status = 2
            }
            if json {
                reports.append(report)
            } else if report.error == nil {
                if !reports.isEmpty { stdout("\n") }
                stdout(TextReport.render(report))
                reports.append(report)
            }
        }
        if json { stdout(encode(reports) + "\n") }
        return status
    }

    /// The JSON document: an array with one object per path, in argument order.
    public static func encode(_ reports: [FileReport]) -> String {
        JSONOutput.encode(reports)
    }
}

import CORSCorpus

/// A run regrouped the way the HTML, JUnit and Markdown reports show it: case files (groups) →
/// cases (rows) → browsers (cells) → steps. Pure; built once per report.
struct ReportMatrix: Sendable {
    struct Cell: Sendable {
        let browser: String
        /// Indices into `RunReport.results`, one per step, in step order.
        var steps: [Int]
        /// The case's verdict in this browser across its steps (see `aggregate`).
        var verdict: String
    }

    struct Row: Sendable {
        let id: String
        let title: String
        let suite: String
        let file: String
        let line: Int
        /// In `RunReport.browsers` order, then any other browser in order of appearance.
        var cells: [Cell]
        var info: RunReport.CaseInfo?
    }

    struct Group: Sendable {
        let file: String
        let suite: String
        var rows: [Int]
    }

    let groups: [Group]
    let rows: [Row]

    init(_ report: RunReport) {
        var rows: [Row] = []
        var rowIndex: [String: Int] = [:]
        var groups: [Group] = []
        var groupIndex: [String: Int] = [:]
        let infos = Dictionary((report.cases ?? []).map { ($0.file + "\u{0}" + $0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let browserOrder = Dictionary(report.browsers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        report.results.withUnsafeBufferPointer { results in
        for i in results.indices {
            let key = results[i].file + "\u{0}" + results[i].case
            let ri: Int
            if let existing = rowIndex[key] {
                ri = existing
            } else {
                ri = rows.count
                rowIndex[key] = ri
                let info = infos[key]
                rows.append(Row(id: results[i].case, title: results[i].title, suite: results[i].suite, file: results[i].file,
                                line: info?.line ?? results[i].line, cells: [], info: info))
                if let g = groupIndex[results[i].file] {
                    groups[g].rows.append(ri)
                } else {
                    groupIndex[results[i].file] = groups.count
                    groups.append(Group(file: results[i].file, suite: results[i].suite, rows: [ri]))
                }
            }
            if let ci = rows[ri].cells.firstIndex(where: { $0.browser == results[i].browser }) {
                rows[ri].cells[ci].steps.append(i)
            } else {
                rows[ri].cells.append(Cell(browser: results[i].browser, steps: [i], verdict: results[i].verdict))
            }
        }
        }
        for ri in rows.indices {
            rows[ri].cells.sort { (browserOrder[$0.browser] ?? Int.max) < (browserOrder[$1.browser] ?? Int.max) }
            for ci in rows[ri].cells.indices {
                rows[ri].cells[ci].verdict = ReportMatrix.aggregate(rows[ri].cells[ci].steps.map { report.results[$0].verdict })
            }
        }
        self.rows = rows
        self.groups = groups
    }

    /// One verdict for several steps: any error, else any failure, else a pass if some step was
    /// checked, else unchecked, and skipped only when every step was skipped.
    static func aggregate(_ verdicts: [String]) -> String {
        let set = Set(verdicts)
        for v in [Verdict.error, .fail, .pass, .unchecked] where set.contains(v.rawValue) { return v.rawValue }
        return set.count == 1 ? verdicts[0] : Verdict.skipped.rawValue
    }

    /// The step that best explains the cell: the first failing or erroring step, else the last.
    func representativeStep(_ cell: Cell, in report: RunReport) -> Int {
        cell.steps.first { ["fail", "error"].contains(report.results[$0].verdict) } ?? cell.steps.last!
    }
}

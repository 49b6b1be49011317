//! Terminal output of `cchc check`: findings grouped by document, each with
//! file:line, severity, rule, location, the message (with its arithmetic)
//! and the quoted text. ANSI colours only when asked (a terminal).

use std::fmt::Write;

use crate::model::Severity;
use crate::model::{DocumentRow, Finding};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn colour(severity: &Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[31m",
        Severity::Warning => "\x1b[33m",
        Severity::Info => "\x1b[36m",
    }
}

/// The whole report as text (`color` = ANSI escapes).
pub fn render(documents: &[DocumentRow], findings: &[Finding], color: bool) -> String {
    let paint = |code: &str, s: &str| if color { format!("{code}{s}{RESET}") } else { s.to_string() };
    let mut out = String::new();
    for d in documents {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.doc_id == d.doc_id).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", paint(BOLD, &format!("{} ({} phát hiện)", d.path, mine.len())));
        for f in mine {
            let place = f.line.map_or_else(|| d.path.clone(), |l| format!("{}:{l}", d.path));
            let loc = f.location.as_deref().map(|l| format!(" [{l}]")).unwrap_or_default();
            let sev = paint(colour(&f.severity), &format!("{:<7}", f.severity));
            let _ = writeln!(out, "  {place}  {sev} {}{loc}", f.rule);
            let _ = writeln!(out, "    {}", f.message);
            if !f.quote.is_empty() {
                let _ = writeln!(out, "    {}", paint(DIM, &format!("« {} »", one_line(&f.quote))));
            }
            if f.expected.is_some() || f.reported.is_some() {
                let e = f.expected.as_deref().unwrap_or("—");
                let r = f.reported.as_deref().unwrap_or("—");
                let _ = writeln!(out, "    {}", paint(DIM, &format!("nêu: {r}; tính/đối chiếu: {e}")));
            }
            if let Some(rel) = &f.related_doc_id {
                let name = documents.iter().find(|x| &x.doc_id == rel).map_or(rel.as_str(), |x| x.path.as_str());
                let _ = writeln!(out, "    {}", paint(DIM, &format!("liên quan: {name}")));
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(findings));
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "3 lỗi, 2 cảnh báo, 1 thông tin".
pub fn summary(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    format!("{} lỗi (error), {} cảnh báo (warning), {} thông tin (info)", n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

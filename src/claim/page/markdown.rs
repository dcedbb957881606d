//! The committee page as GitHub-flavoured Markdown (`claim.md`).

use super::{verdict_symbol, verdict_word, Cell, Lang, Page, Table, W};
use crate::claim::result::ClaimReport;

/// The committee page as GitHub-flavoured Markdown: the same content as
/// [`html`](fn@super::html), with a one-line summary in place of each chart.
pub fn markdown(r: &ClaimReport, lang: Lang) -> String {
    let p = Page::new(r, lang);
    let w = p.w;
    let mut m = String::with_capacity(16 << 10);
    m.push_str(&format!("# {}\n\n**{}**\n\n", md(&p.title), md(&p.applicant)));
    if !p.description.is_empty() {
        m.push_str(&format!("{}\n\n", md(&p.description)));
    }
    m.push_str(&format!("*{}*\n\n", md(&p.meta)));
    m.push_str(&format!("## {}\n\n{}\n{}\n\n", w.t.s_verdict, md_table(w, &p.verdicts), md(&p.verdict_note)));
    m.push_str(&format!("## {}\n\n", w.t.s_explain));
    for s in &p.sentences {
        m.push_str(&format!("{}\n\n", md(s)));
    }
    if let Some(levels) = &p.levels {
        m.push_str(&format!("## {}\n\n{}\n\n", w.t.s_levels, md(&p.levels_intro)));
        m.push_str(&format!("{}\n{}\n\n", md_table(w, levels), md(w.t.levels_explain)));
        m.push_str(&format!("### {}\n\n", w.t.h_pm));
        if p.pm.is_empty() {
            m.push_str(&format!("{}\n\n", md(w.t.pm_none)));
        } else {
            m.push_str(&p.pm.iter().map(|s| format!("- {}\n", md(s))).collect::<String>());
            m.push('\n');
        }
    }
    m.push_str(&format!("## {}\n\n", w.t.s_charts));
    for t in &p.charts {
        m.push_str(&format!("- **{}**: {}.\n", md(&t.title), md(&t.summary)));
    }
    m.push_str(&format!("\n## {}\n\n", w.t.s_assumptions));
    m.push_str(&format!("### {}\n\n{}\n", w.t.h_effects, md_table(w, &p.effects)));
    m.push_str(&format!("### {}\n\n{}\n", w.t.h_costs, md_table(w, &p.costs)));
    m.push_str(&format!("### {}\n\n", w.t.h_sroi));
    if p.sroi.is_empty() {
        m.push_str(&format!("{}\n\n", md(w.t.sroi_none)));
    } else {
        for s in &p.sroi {
            m.push_str(&format!("- {}\n", md(s)));
        }
        m.push('\n');
    }
    m.push_str(&format!("### {}\n\n", w.t.h_method));
    for s in &p.method {
        m.push_str(&format!("{}\n\n", md(s)));
    }
    m.push_str(&format!("## {}\n\n{}\n\n{}\n", w.t.s_reproduce, md(&p.reproduce_intro), md_table(w, &p.reproduce)));
    if !p.inputs.rows.is_empty() {
        m.push_str(&format!("{}\n", md_table(w, &p.inputs)));
    }
    m.push_str(&format!("---\n\n{}\n", md(&p.footer)));
    m
}

/// Escape text for Markdown: markup characters get a backslash, line breaks become spaces.
/// A source note in Markdown: each `[KEY]` becomes the source's citation, a
/// link where the entry has a URL.
fn md_cited(note: &str) -> String {
    use crate::sources::{split_citations, Piece};
    (split_citations(note).into_iter())
        .map(|p| match p {
            Piece::Text(t) => md(t),
            Piece::Cite(s) => match s.url() {
                Some(url) => format!("[{}](<{url}>)", md(&s.short_citation())),
                None => md(&s.short_citation()),
            },
        })
        .collect()
}

pub(super) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that survives backticks in its text.
fn md_code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    // A pipe ends a table cell even inside a code span in GFM.
    let s = s.replace('|', "\\|");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn md_cell(w: W, c: &Cell) -> String {
    match c {
        Cell::Text(s) | Cell::Num(s) => md(s),
        Cell::Code(s) => md_code(s),
        Cell::Source(s) => md_cited(s),
        Cell::Label(s, None) => md(s),
        Cell::Label(s, Some(sub)) => format!("{} ({})", md(s), md(sub)),
        Cell::Lines(l) => l.iter().map(|s| md(s)).collect::<Vec<_>>().join("; "),
        Cell::Verdict(v) => format!("{} **{}**", verdict_symbol(*v), verdict_word(w, *v)),
    }
}

fn md_table(w: W, t: &Table) -> String {
    let mut s = String::new();
    let head: Vec<String> = t.header.iter().map(|h| md(h.trim_start_matches('#'))).collect();
    s.push_str(&format!("| {} |\n", head.join(" | ")));
    let align: Vec<&str> = t.header.iter().map(|h| if h.starts_with('#') { "---:" } else { "---" }).collect();
    s.push_str(&format!("| {} |\n", align.join(" | ")));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| md_cell(w, c)).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s
}

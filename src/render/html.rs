//! HTML building blocks, with the `maud` template crate: text spliced into a
//! template is escaped unless it is wrapped in [`PreEscaped`], so forgetting to
//! escape is no longer possible. The blocks are the ones both pages use: the
//! document around the content, tables whose numeric columns are right-aligned,
//! and a figure with its data table.

pub(crate) use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Escape text for HTML element content and attribute values (`& < > "`, as
/// maud escapes spliced text), for markup made outside a template (SVG).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Writing to a String cannot fail.
    let _ = std::fmt::Write::write_str(&mut maud::Escaper::new(&mut out), s);
    out
}

/// A document under construction: markup appended in reading order.
#[derive(Debug, Default)]
pub(crate) struct Html(String);

impl Html {
    /// An empty document with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Html(String::with_capacity(capacity))
    }

    /// Append a block of markup.
    pub(crate) fn push(&mut self, m: Markup) {
        self.0.push_str(&m.0);
    }

    /// The finished text (only the unit tests read a document back as text).
    #[cfg(test)]
    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// A self-contained document: doctype, `lang`, title, inline stylesheet, the
/// `body` in `<main>` and the footer line after it.
pub(crate) fn document(lang: &str, title: &str, css: &str, body: Markup, footer: &str) -> String {
    html! {
        (DOCTYPE) "\n"
        html lang=(lang) {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                title { (title) } "\n"
                style { (PreEscaped(css)) } "\n"
            }
            "\n"
            body { "\n" main { "\n" (body) footer { (footer) } "\n" } "\n" }
            "\n"
        }
        "\n"
    }
    .0
}

/// A section with its `<h2>` heading.
pub(crate) fn section(id: &str, title: &str, body: Markup) -> Markup {
    html! { section id=(id) { "\n" h2 { (title) } "\n" (body) } "\n" }
}

/// [`Html`] as a block of markup, to splice into a template.
impl From<Html> for Markup {
    fn from(h: Html) -> Markup {
        PreEscaped(h.0)
    }
}

/// A source note with each `[KEY]` of `docs/sources.md` shown as the source's
/// short citation, linked where the entry has a URL ([`crate::sources`]).
pub(crate) fn cited(note: &str) -> Markup {
    use crate::sources::{split_citations, Piece};
    html! {
        @for piece in split_citations(note) {
            @match piece {
                Piece::Text(t) => (t),
                Piece::Cite(s) => @match s.url() {
                    Some(url) => a href=(url) title=(s.key) { (s.short_citation()) },
                    None => span title=(s.key) { (s.short_citation()) },
                },
            }
        }
    }
}

/// A paragraph of text.
pub(crate) fn para(text: &str) -> Markup {
    html! { p { (text) } "\n" }
}

/// A muted paragraph: a note, or why something is missing.
pub(crate) fn muted(text: &str) -> Markup {
    html! { p.muted { (text) } "\n" }
}

/// A heading of level 3 or 4.
pub(crate) fn heading(level: u8, text: &str) -> Markup {
    match level {
        3 => html! { h3 { (text) } "\n" },
        _ => html! { h4 { (text) } "\n" },
    }
}

/// Text as a table cell (escaped).
pub(crate) fn text(s: &str) -> Markup {
    html! { (s) }
}

/// A monospace cell: parameter and measure names.
pub(crate) fn mono(s: &str) -> Markup {
    html! { span.mono { (s) } }
}

/// A code cell: file names, hashes, command lines.
pub(crate) fn code(s: &str) -> Markup {
    html! { code { (s) } }
}

/// A value with a muted second line (an interval, an account).
pub(crate) fn with_sub(main: &str, sub: &str) -> Markup {
    html! { (main) br; span.muted { (sub) } }
}

/// A table: `header` cells that start with `#` are right-aligned number
/// columns (the `#` is dropped); `class` goes on the `<table>` when not empty.
pub(crate) fn table(class: &str, header: &[&str], rows: &[Vec<Markup>]) -> Markup {
    let rows: Vec<(bool, Vec<Markup>)> = rows.iter().map(|r| (false, r.clone())).collect();
    marked_table(class, header, &rows)
}

/// A [`table`] whose marked rows stand out (class `marked`: bold on a light band).
pub(crate) fn marked_table<H: AsRef<str>>(class: &str, header: &[H], rows: &[(bool, Vec<Markup>)]) -> Markup {
    let numeric: Vec<bool> = header.iter().map(|c| c.as_ref().starts_with('#')).collect();
    let n = |i: usize| numeric.get(i).copied().unwrap_or(false).then_some("n");
    let class = (!class.is_empty()).then_some(class);
    html! {
        div.table-wrap { table class=[class] {
            "\n"
            thead { tr { @for (i, c) in header.iter().enumerate() { th class=[n(i)] { (c.as_ref().trim_start_matches('#')) } } } }
            "\n"
            tbody {
                "\n"
                @for (marked, row) in rows {
                    tr class=[marked.then_some("marked")] {
                        @for (i, cell) in row.iter().enumerate() { td class=[n(i)] { (cell) } }
                    }
                    "\n"
                }
            }
            "\n"
        } }
        "\n"
    }
}

/// A table's header from owned cells (numeric ones start with `#`).
pub(crate) fn header_refs(header: &[String]) -> Vec<&str> {
    header.iter().map(String::as_str).collect()
}

/// A figure: the SVG, a caption when not empty, and the same numbers as a
/// table behind a `<details>` titled `alt_title`.
pub(crate) fn figure(kind: &str, svg: &str, caption: &str, table: Option<&Markup>, alt_title: &str) -> Markup {
    html! {
        figure.chart data-chart=(kind) {
            "\n" (PreEscaped(svg)) "\n"
            @if !caption.is_empty() { figcaption { (caption) } "\n" }
            @if let Some(t) = table { details { summary { (alt_title) } "\n" (t) } "\n" }
        }
        "\n"
    }
}

/// Content behind a `<details>` with a summary line.
pub(crate) fn details(summary: &str, body: &Markup) -> Markup {
    html! { details { summary { (summary) } "\n" (body) } "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;'");
        assert_eq!(text("<b>").0, "&lt;b&gt;");
    }

    #[test]
    fn tables_right_align_numeric_columns() {
        let t = table("", &["a", "#b"], &[vec![text("x"), text("1")]]).0;
        assert!(t.contains("<th class=\"n\">b</th>"));
        assert!(t.contains("<td class=\"n\">1</td>"));
        assert!(t.contains("<td>x</td>"));
        assert!(t.starts_with("<div class=\"table-wrap\"><table>\n<thead><tr><th>a</th>"));
        assert!(t.ends_with("</tr>\n</tbody>\n</table></div>\n"));
    }

    #[test]
    fn a_figure_without_caption_or_table_is_only_the_chart() {
        let f = figure("fan", "<svg></svg>", "", None, "alt").0;
        assert_eq!(f, "<figure class=\"chart\" data-chart=\"fan\">\n<svg></svg>\n</figure>\n");
    }
}

//! Where each value of the built scenario came from in the application, so
//! that an error the scenario validator finds in it is reported at the
//! application's file, line and field, never at a scenario the applicant never
//! saw.
//!
//! The validator places an error at the span of the value it concerns, in the
//! text it is given. The built scenario's spans point into a *position text*:
//! the application's own text, followed by one line per generated value.
//! - A value copied from the application as it is (an effect's evidence, an
//!   age band, a state name) keeps its span in the application, so an error
//!   inside it lands exactly where the applicant wrote it.
//! - A generated value (the cohort area's name, the reach as a share, a
//!   parameter's name) gets a line of its own in the tail, which records the
//!   application span and field it was generated from.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use crate::scenario::{ScenarioError, ScenarioErrors};

/// The part of the application a built value came from.
#[derive(Debug, Clone)]
struct Origin {
    /// Its span in the application text.
    app: Range<usize>,
    /// Its field path in the application (`effect[0].rr`).
    field: String,
}

/// Spans for the built scenario and the origins behind them.
#[derive(Debug)]
pub(crate) struct Positions<'a> {
    app: &'a str,
    /// The position text: the application text, a newline if it lacks a
    /// final one, then one line per generated value.
    text: String,
    /// Where the generated values' lines start in `text`.
    tail_start: usize,
    /// Generated values: their span in `text` and origin.
    generated: Vec<(Range<usize>, Origin)>,
    /// Values copied as they are: their (application) span is their origin.
    copied: Vec<Origin>,
    /// Where an error that names no value of the application is placed.
    whole: Origin,
}

impl<'a> Positions<'a> {
    /// Positions in the application `app`; errors about the generated
    /// scenario as a whole are placed at `whole` (span and field).
    pub fn new(app: &'a str, whole: Range<usize>, field: &str) -> Self {
        let mut text = app.to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let tail_start = text.len();
        let whole = Origin { app: whole, field: field.into() };
        Positions { app, text, tail_start, generated: vec![], copied: vec![], whole }
    }

    /// `value`, generated from the application's `app` span and `field`.
    pub fn generated<T>(&mut self, value: T, app: Range<usize>, field: &str) -> Spanned<T> {
        let start = self.text.len();
        // The line names the field, never starting with `#` (which would make
        // it a source comment of the next line's parameter).
        self.text.push_str(field);
        let span = start..self.text.len();
        self.text.push('\n');
        self.generated.push((span.clone(), Origin { app, field: field.into() }));
        Spanned::new(span, value)
    }

    /// The application's own `value`, copied as it is; errors inside it are
    /// reported at `field`.
    pub fn copied<T: Clone>(&mut self, value: &Spanned<T>, field: &str) -> Spanned<T> {
        self.copied_at(value.span(), field);
        value.clone()
    }

    /// Record that the application's text at `span` is copied as it is.
    pub fn copied_at(&mut self, span: Range<usize>, field: &str) {
        self.copied.push(Origin { app: span, field: field.into() });
    }

    /// The position text the built scenario's spans point into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The validator's errors about the built scenario `built` placed in the
    /// application `app_path`; errors in other files (the city) stay as they are.
    pub fn place_all(&self, errors: ScenarioErrors, built: &Path, app_path: &Path) -> ScenarioErrors {
        ScenarioErrors(errors.0.into_iter().map(|e| self.place(e, built, app_path)).collect())
    }

    fn place(&self, err: ScenarioError, built: &Path, app_path: &Path) -> ScenarioError {
        if err.file != built {
            return err;
        }
        let offset = byte_offset(&self.text, err.line, err.column);
        let origin = if offset >= self.tail_start {
            let line = self.generated.iter().find(|(span, _)| span.start <= offset && offset <= span.end);
            line.map(|(_, o)| (o.app.start, o))
        } else {
            // The innermost copy: a copied value maps position for position.
            let copy = self
                .copied
                .iter()
                .filter(|o| o.app.contains(&offset) || (o.app.start == offset && o.app.is_empty()))
                .min_by_key(|o| o.app.len());
            Some(copy.map_or((self.whole.app.start, &self.whole), |o| (offset, o)))
        };
        match origin {
            Some((at, o)) => {
                let mut mapped = ScenarioError::at(app_path, self.app, at..at, o.field.clone(), err.reason.clone());
                mapped.kind = err.kind;
                mapped
            }
            None => ScenarioError { file: app_path.to_path_buf(), line: 0, column: 0, ..err },
        }
    }
}

/// Byte offset of a 1-based line and (character) column in `text`.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
            return start + col;
        }
        start += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn errors_land_at_the_copied_text_or_the_origin_of_a_generated_value() {
        let app = "[a]\nx = { dist = \"beta\" }\ny = 3";
        let mut p = Positions::new(app, 0..3, "a");
        let x = Spanned::new(8..25, 1);
        let _ = p.copied(&x, "a.x");
        let g = p.generated(2, 30..31, "a.y");
        let built = PathBuf::from("app.toml#generated");
        let err = |span: Range<usize>| ScenarioError::at(&built, p.text(), span, "scenario.field", "bad");
        let placed =
            p.place_all(ScenarioErrors(vec![err(10..11), err(g.span()), err(0..0)]), &built, Path::new("app.toml"));
        let shown: Vec<String> = placed.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown, ["app.toml:2:7: a.x: bad", "app.toml:3:5: a.y: bad", "app.toml:1:1: a: bad"]);
    }
}

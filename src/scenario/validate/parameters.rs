//! The `[parameters]` section: named distributions that values elsewhere
//! refer to by name, and derived parameters (expressions of other
//! parameters, see [`super::derived`]). Each name once across all files;
//! each distribution valid. A parameter keeps its source comment for the
//! assumptions table.

use super::derived::Pending;
use super::values::NamedParam;
use super::V;
use crate::expr;
use crate::scenario::file::ValueSpec;
use crate::scenario::source_comment;

impl V<'_> {
    /// Every `[parameters]` entry: a named distribution in the parameter
    /// table, or a derived parameter computed from the others.
    pub(super) fn parameters(&mut self) {
        let files = self.files;
        let items = self.entries(|f| f.parameters.as_ref());
        let map = self.unique_entries("parameter", &items);
        let mut pending = vec![];
        for (i, (f, name, v)) in items.iter().enumerate() {
            if map.get(name.get_ref()) != Some(&i) {
                continue;
            }
            let field = format!("parameters.{}", name.get_ref());
            self.remember(field.clone(), *f, name.span());
            if expr::is_reserved(name.get_ref()) {
                self.err(
                    *f,
                    name.span(),
                    &field,
                    format!(
                        "`{}` is a reserved variable ({}): the model binds it where an expression is used; choose another name",
                        name.get_ref(),
                        expr::RESERVED.join(", ")
                    ),
                );
                self.named.insert(name.get_ref().clone(), None);
                continue;
            }
            let d = match v {
                ValueSpec::Dist(d) if d.expr.is_none() => d,
                _ => {
                    pending.push(Pending { f: *f, name, value: v, field });
                    continue;
                }
            };
            let span = if d.dist_missing() { name.span() } else { d.dist.span() };
            let entry = self.dist(*f, d, span, &field).map(|dist| {
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                let offset = self.params.push(name.get_ref().clone(), dist.clone(), note, true);
                let index = self.params.params.len() - 1;
                self.params.params[index].comment = source_comment(&files[*f].text, name.span().start);
                NamedParam { offset, index, dist }
            });
            self.named.insert(name.get_ref().clone(), entry);
        }
        self.named_derived(pending);
    }
}

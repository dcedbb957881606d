//! The `[parameters]` section: named distributions that values elsewhere
//! refer to by name. Each name once across all files; each distribution
//! valid. A parameter keeps its source comment for the assumptions table.

use super::values::NamedParam;
use super::V;
use crate::scenario::source_comment;

impl V<'_> {
    /// Every `[parameters]` entry, as a named distribution in the parameter table.
    pub(super) fn parameters(&mut self) {
        let files = self.files;
        let items = self.entries(|f| f.parameters.as_ref());
        let map = self.unique_entries("parameter", &items);
        for (i, (f, name, d)) in items.iter().enumerate() {
            if map.get(name.get_ref()) != Some(&i) {
                continue;
            }
            let field = format!("parameters.{}", name.get_ref());
            self.remember(field.clone(), *f, name.span());
            let entry = self.dist(*f, d, d.dist.span(), &field).map(|dist| {
                let note = d.note.as_ref().map(|n| n.get_ref().clone());
                let offset = self.params.push(name.get_ref().clone(), dist.clone(), note, true);
                let index = self.params.params.len() - 1;
                self.params.params[index].comment = source_comment(&files[*f].text, name.span().start);
                NamedParam { offset, index, dist }
            });
            self.named.insert(name.get_ref().clone(), entry);
        }
    }
}

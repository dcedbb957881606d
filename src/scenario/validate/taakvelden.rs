//! The `[taakvelden]` section: the municipal budget lines (taakvelden, code →
//! name) that cost items may be booked on. Each code once across all files.

use super::V;
use crate::model::Taakveld;

impl V<'_> {
    /// Every `[taakvelden]` entry, each code once.
    pub(super) fn taakvelden(&mut self) {
        let items = self.entries(|f| f.taakvelden.as_ref());
        let map = self.unique_entries("taakveld", &items);
        for (i, (_, code, name)) in items.iter().enumerate() {
            if map.get(code.get_ref()) == Some(&i) {
                self.taakvelden.push(Taakveld { code: code.get_ref().clone(), name: name.get_ref().clone() });
            }
        }
    }
}

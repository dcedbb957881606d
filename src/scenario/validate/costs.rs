//! Cost items (`{ amount, funder, taakveld }`) wherever a section has costs: a
//! chain's states and transitions, an intervention's fixed and per-participant
//! costs. The funder must be in `model.funders`, the taakveld in
//! `[taakvelden]`; each distinct (funder, taakveld) pair becomes an account.

use toml::Spanned;

use super::names::{hint, list_or_none};
use super::values::Domain;
use super::V;
use crate::model::{Account, CostItem};
use crate::scenario::file::{CostSpec, SString};

impl V<'_> {
    /// A list of cost items, each booked on its (funder, taakveld) account.
    pub(super) fn cost_items(
        &mut self,
        f: usize,
        list: &Spanned<Vec<Spanned<CostSpec>>>,
        field: &str,
    ) -> Vec<CostItem> {
        let mut out = Vec::new();
        for (i, c) in list.get_ref().iter().enumerate() {
            let cf = format!("{field}[{i}]");
            let cs = c.get_ref();
            let amount = self.value(f, &cs.amount, &format!("{cf}.amount"), Domain::Money);
            let funder = self.funder(f, &cs.funder, &cf);
            let taakveld = match &cs.taakveld {
                None => Some(None),
                Some(t) => self.taakveld(f, t, &cf).map(Some),
            };
            if let (Some(funder), Some(taakveld)) = (funder, taakveld) {
                let acc = Account { funder, taakveld };
                let account = match self.accounts.iter().position(|a| *a == acc) {
                    Some(k) => k,
                    None => {
                        self.accounts.push(acc);
                        self.accounts.len() - 1
                    }
                };
                out.push(CostItem { account, amount });
            }
        }
        out
    }

    /// A cost item's funder, by its index in `model.funders`.
    fn funder(&mut self, f: usize, s: &SString, cf: &str) -> Option<usize> {
        let found = self.funders.iter().position(|x| x == s.get_ref());
        if found.is_none() {
            let known = list_or_none(&self.funders);
            self.err(
                f,
                s.span(),
                format!("{cf}.funder"),
                format!(
                    "unknown funder `{}`; declare it in model.funders (declared: {known}){}",
                    s.get_ref(),
                    hint(s.get_ref(), &self.funders)
                ),
            );
        }
        found
    }

    /// A cost item's taakveld, by its index in `[taakvelden]`.
    fn taakveld(&mut self, f: usize, t: &SString, cf: &str) -> Option<usize> {
        let found = self.taakvelden.iter().position(|x| x.code == *t.get_ref());
        if found.is_none() {
            let known: Vec<String> = self.taakvelden.iter().map(|t| t.code.clone()).collect();
            self.err(
                f,
                t.span(),
                format!("{cf}.taakveld"),
                format!(
                    "unknown taakveld \"{}\"; declare it in [taakvelden] (declared: {}){}",
                    t.get_ref(),
                    list_or_none(&known),
                    hint(t.get_ref(), &known)
                ),
            );
        }
        found
    }
}

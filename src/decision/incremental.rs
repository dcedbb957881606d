//! See [`crate::decision`]. (Placeholder until the incremental analysis lands.)

/// Status of an arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// On the frontier.
    Frontier,
    /// Strongly dominated.
    StronglyDominated,
    /// Extendedly dominated.
    ExtendedlyDominated,
}

impl Status {
    /// Name in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Frontier => "frontier",
            Status::StronglyDominated => "strongly_dominated",
            Status::ExtendedlyDominated => "extendedly_dominated",
        }
    }
}

/// One arm of the incremental analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct IncrementalRow {
    /// Arm index.
    pub arm: usize,
    /// Mean cost.
    pub cost: f64,
    /// Mean effect.
    pub effect: f64,
    /// Status.
    pub status: Status,
    /// Compared with.
    pub compared_with: Option<usize>,
    /// Incremental cost.
    pub d_cost: Option<f64>,
    /// Incremental effect.
    pub d_effect: Option<f64>,
    /// ICER.
    pub icer: Option<f64>,
}

/// Placeholder.
pub fn incremental(costs: &[f64], effects: &[f64]) -> Vec<IncrementalRow> {
    (0..costs.len())
        .map(|arm| IncrementalRow {
            arm,
            cost: costs[arm],
            effect: effects[arm],
            status: Status::Frontier,
            compared_with: None,
            d_cost: None,
            d_effect: None,
            icer: None,
        })
        .collect()
}

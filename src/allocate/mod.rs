//! Budget allocation (`wijkimpact allocate`): which mix of options does most
//! within a budget, under uncertainty.

pub mod solve;

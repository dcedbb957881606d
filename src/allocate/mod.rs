//! Budget allocation (`wijkimpact allocate`): which mix of options does most
//! within a budget, under uncertainty.

pub mod solve;
pub mod file;
pub mod validate;
pub mod evaluate;
pub mod result;
pub mod analyse;
pub mod tables;
pub mod page;

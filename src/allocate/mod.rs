//! Budget allocation (`wijkimpact allocate`): which mix of options does most
//! within a budget, under uncertainty.

pub mod analyse;
pub mod evaluate;
pub mod file;
pub mod page;
pub mod result;
pub mod solve;
pub mod tables;
pub mod validate;

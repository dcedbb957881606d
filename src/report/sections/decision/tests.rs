//! The decision section on a hand-made run.

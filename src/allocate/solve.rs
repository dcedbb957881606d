//! Portfolio optimisation over Monte Carlo draws (sample average approximation).

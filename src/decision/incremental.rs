//! See [`crate::decision`].

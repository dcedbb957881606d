//! Output writers (placeholder).

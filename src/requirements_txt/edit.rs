//! Editing a parsed file in place, and writing fresh canonical files.

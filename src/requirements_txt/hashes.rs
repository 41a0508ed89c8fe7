//! pip's hash-checking mode.

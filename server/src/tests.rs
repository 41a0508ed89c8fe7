//! The server over an object store (`serve --from`), driven through the router.

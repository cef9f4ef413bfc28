"""The portal: server-rendered pages over the same registry calls as the HTTP API, in Chinese
and English (public lookup, a subject's own file, the reviewer's desk, the agency's upload)."""

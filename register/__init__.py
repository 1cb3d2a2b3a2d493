"""The public register of filed issuances: what anyone may read without signing in."""

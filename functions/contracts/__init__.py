"""Contracts after the award, kept in storage: contracts and reviews (records), returns, and the summaries that the
council's lists and contract pages read (decision 14). Domain code only; the pages live in council/ and suppliers/."""

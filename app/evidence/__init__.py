"""Evidence: which records back each hop of a trace, what CBP expects there, and whether quantities add up.

`readiness` scores a trace against the checklist kept as data (`loaders/data/evidence_checklist.json`);
`mass_balance` checks quantities (sourcing shares, bills of materials, lots).
"""

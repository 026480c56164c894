"""Screening: where a record is (the XUAR location detector) and who it is (the entity matcher).

Both work on one loose `ScreenRecord` so that the same code judges a facility met in a trace, a supplier
typed in at onboarding (`POST /v1/screen`) and a row of the evaluation set.
"""

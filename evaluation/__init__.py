"""The screening evaluation (`make eval`): labelled sets, our detectors and baselines, scored side by side."""

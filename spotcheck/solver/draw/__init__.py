"""The target draw, algorithm prn-interval/1 (docs/draw-spec.md): lottery numbers, frame, eligibility, coordination, selection, record."""

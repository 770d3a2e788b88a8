"""A synthetic but realistic city (Linyi, 临沂) for demos, tests and benchmarks: ``generate_city``.

See docs/synthetic-city.md for what is generated and how the example plan is calibrated.
"""

from spotcheck.synth.city import FILES, Generated, generate_city
from spotcheck.synth.plan import example_plan, plan_document
from spotcheck.synth.staff import department_officers

__all__ = ["FILES", "Generated", "department_officers", "example_plan", "generate_city", "plan_document"]

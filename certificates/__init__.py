"""What follows a decision: issuing, PDF, QR, signing, verification, public registry.

It imports :mod:`voting` freely; :mod:`voting` touches it only at named seams
(the factory registering its blueprint, eligibility, demo seeding).
"""

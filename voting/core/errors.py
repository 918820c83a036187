"""Domain errors raised by operations; views turn their codes into messages."""


class DomainError(Exception):
    """A rule of the domain refused the operation. ``code`` names the rule."""

    code = "domain_error"

    def __init__(self, code=None, **params):
        self.code = code or self.code
        self.params = params
        super().__init__(self.code)


class DossierLocked(DomainError):
    """The product is in a submitted dossier, or an entry its round still assesses, and cannot change."""

    code = "dossier_locked"


class InvalidTransition(DomainError):
    """The object is not in a state that allows this step."""

    code = "invalid_transition"


class NotEligible(DomainError):
    """The application breaks eligibility rules; ``problems`` lists their codes."""

    code = "not_eligible"

    def __init__(self, problems):
        super().__init__(self.code, problems=list(problems))
        self.problems = list(problems)

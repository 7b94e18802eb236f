"""Step Functions task: validate an application. Raises named errors the state machine catches."""
import re

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


class ValidationFailed(Exception):
    pass


class NeedsManualReview(Exception):
    pass


def _check_age(dob_year, current_year):
    age = current_year - dob_year
    if age < 18:
        raise ValidationFailed("applicant under 18")
    return age


def handler(event, context):
    applicant = event["applicant"]
    problems = []
    if not EMAIL.match(applicant.get("email", "")):
        problems.append("email")
    if len(applicant.get("name", "").strip()) < 2:
        problems.append("name")
    if problems:
        raise ValidationFailed("invalid fields: " + ", ".join(problems))

    age = _check_age(int(applicant["birthYear"]), int(event["now"][:4]))
    if applicant.get("country") not in {"KR", "DE", "US", "GB"}:
        raise NeedsManualReview(applicant.get("country"))

    return {**event, "validated": True, "age": age}

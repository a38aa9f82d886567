from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

validate_ror_id = RegexValidator(
    r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$",
    _("Enter a ROR identifier such as 05dxps055 (the part after https://ror.org/)."),
    code="invalid_ror",
)
validate_wikidata_id = RegexValidator(
    r"^Q[1-9][0-9]*$",
    _("Enter a Wikidata item identifier such as Q42."),
    code="invalid_wikidata",
)

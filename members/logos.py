"""Logo sizes as the pages draw them, so that a page does not jump while its logos load."""

from collections.abc import Iterable

from .models import Organisation

# The boxes logos are drawn in: a directory card (.card__logo is 7.5rem tall) and a profile.
CARD_LOGO_BOX = (176, 120)
PROFILE_LOGO_BOX = (240, 160)


def fit_logos(organisations: Iterable[Organisation], box: tuple[int, int]) -> None:
    """Give each logo the width and height it is shown at, so the page does not jump as it loads.

    Sets `logo_size` to (width, height), scaled down to fit `box`, or None without a logo.
    """
    max_width, max_height = box
    for organisation in organisations:
        width, height = organisation.logo_width, organisation.logo_height
        if not (organisation.logo and width and height):
            organisation.logo_size = None
            continue
        scale = min(1, max_width / width, max_height / height)
        organisation.logo_size = (max(1, round(width * scale)), max(1, round(height * scale)))

from agreements.sitemaps import AgreementSitemap
from conferences.sitemaps import ConferenceSitemap
from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap

# /sitemap.xml: every public page of every app, one section each.
SITEMAPS = {
    "conferences": ConferenceSitemap,
    "organisations": OrganisationSitemap,
    "people": PersonSitemap,
    "divisions": DivisionSitemap,
    "topics": TopicSitemap,
    "agreements": AgreementSitemap,
}

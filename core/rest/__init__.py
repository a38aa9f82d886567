"""The machinery every API endpoint shares: access, paging, filters, expansion, formats, caching."""

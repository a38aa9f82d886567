"""Regions, divisions, countries and their cities, with coordinates and time zones."""

from dataclasses import dataclass

AFRICA = "Africa"
ASIA_PACIFIC = "Asia Pacific"
EUROPE = "Europe"
LATIN_AMERICA = "Latin America"
NORTH_AMERICA = "North America"
WANA = "West Asia & North Africa"

# name, description, year of its first conference
DIVISIONS = [
    (AFRICA, "Members across sub-Saharan Africa: technology parks, hubs and incubators.", 2008),
    (
        ASIA_PACIFIC,
        "Members from China, Korea and Japan through South-East Asia and India to Oceania.",
        1994,
    ),
    (EUROPE, "Members from Scandinavia to the Mediterranean and the Black Sea.", 1990),
    (LATIN_AMERICA, "Technology parks in Central and South America and the Caribbean.", 1996),
    (NORTH_AMERICA, "Research parks and innovation districts in Canada and the USA.", 1998),
    (WANA, "Members from the Gulf states and the Levant to the Maghreb.", 2005),
]


@dataclass(frozen=True)
class City:
    name: str
    latitude: float
    longitude: float
    time_zone: str


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    division: str
    language: str  # names of places and people: see ORGANISATION_PATTERNS and PEOPLE
    weight: int  # how many organisations it has, relatively
    cities: tuple[City, ...]


def _country(code, name, division, language, weight, zone, *cities) -> Country:
    """Cities as (name, latitude, longitude) or (name, latitude, longitude, zone)."""
    return Country(
        code,
        name,
        division,
        language,
        weight,
        tuple(City(c[0], c[1], c[2], c[3] if len(c) > 3 else zone) for c in cities),
    )


# fmt: off
COUNTRIES = [
    # Africa
    _country(
        "ZA", "South Africa", AFRICA, "en", 4, "Africa/Johannesburg",
        ("Johannesburg", -26.20, 28.05), ("Cape Town", -33.92, 18.42), ("Pretoria", -25.75, 28.19),
        ("Durban", -29.86, 31.03), ("Stellenbosch", -33.93, 18.86),
    ),
    _country(
        "NG", "Nigeria", AFRICA, "af_west", 3, "Africa/Lagos",
        ("Lagos", 6.52, 3.38), ("Abuja", 9.08, 7.40), ("Ibadan", 7.38, 3.95),
    ),
    _country(
        "KE", "Kenya", AFRICA, "af_east", 3, "Africa/Nairobi",
        ("Nairobi", -1.29, 36.82), ("Mombasa", -4.04, 39.67), ("Kisumu", -0.09, 34.77),
    ),
    _country(
        "GH", "Ghana", AFRICA, "af_west", 2, "Africa/Accra",
        ("Accra", 5.60, -0.19), ("Kumasi", 6.69, -1.62),
    ),
    _country("RW", "Rwanda", AFRICA, "af_east", 1, "Africa/Kigali", ("Kigali", -1.94, 30.06)),
    _country("SN", "Senegal", AFRICA, "fr", 1, "Africa/Dakar", ("Dakar", 14.72, -17.47)),
    _country(
        "ET", "Ethiopia", AFRICA, "af_east", 1, "Africa/Addis_Ababa", ("Addis Ababa", 9.03, 38.74)
    ),
    _country("BW", "Botswana", AFRICA, "en", 1, "Africa/Gaborone", ("Gaborone", -24.65, 25.91)),
    _country("UG", "Uganda", AFRICA, "af_east", 1, "Africa/Kampala", ("Kampala", 0.35, 32.58)),
    _country(
        "TZ", "Tanzania", AFRICA, "af_east", 1, "Africa/Dar_es_Salaam",
        ("Dar es Salaam", -6.79, 39.21), ("Arusha", -3.37, 36.68),
    ),
    _country(
        "MU", "Mauritius", AFRICA, "en", 1, "Indian/Mauritius",
        ("Port Louis", -20.16, 57.50), ("Ebene", -20.24, 57.49),
    ),
    # Asia Pacific
    _country(
        "CN", "China", ASIA_PACIFIC, "zh", 14, "Asia/Shanghai",
        ("Beijing", 39.90, 116.40), ("Shanghai", 31.23, 121.47), ("Shenzhen", 22.54, 114.06),
        ("Wuhan", 30.59, 114.31), ("Hangzhou", 30.27, 120.16), ("Chengdu", 30.57, 104.07),
        ("Xi'an", 34.34, 108.94), ("Suzhou", 31.30, 120.62), ("Nanjing", 32.06, 118.80),
        ("Guangzhou", 23.13, 113.26), ("Hefei", 31.82, 117.23), ("Tianjin", 39.34, 117.36),
    ),
    _country(
        "JP", "Japan", ASIA_PACIFIC, "ja", 5, "Asia/Tokyo",
        ("Tokyo", 35.68, 139.69), ("Osaka", 34.69, 135.50), ("Kyoto", 35.01, 135.77),
        ("Tsukuba", 36.08, 140.08), ("Fukuoka", 33.59, 130.40), ("Sapporo", 43.06, 141.35),
    ),
    _country(
        "KR", "South Korea", ASIA_PACIFIC, "ko", 6, "Asia/Seoul",
        ("Seoul", 37.57, 126.98), ("Daejeon", 36.35, 127.38), ("Busan", 35.18, 129.08),
        ("Pohang", 36.02, 129.34), ("Incheon", 37.46, 126.71), ("Gwangju", 35.16, 126.85),
    ),
    _country(
        "IN", "India", ASIA_PACIFIC, "in", 6, "Asia/Kolkata",
        ("Bengaluru", 12.97, 77.59), ("Hyderabad", 17.39, 78.49), ("Pune", 18.52, 73.86),
        ("Chennai", 13.08, 80.27), ("New Delhi", 28.61, 77.21), ("Ahmedabad", 23.02, 72.57),
    ),
    _country(
        "SG", "Singapore", ASIA_PACIFIC, "sea", 2, "Asia/Singapore", ("Singapore", 1.35, 103.82)
    ),
    _country(
        "MY", "Malaysia", ASIA_PACIFIC, "sea", 2, "Asia/Kuala_Lumpur",
        ("Kuala Lumpur", 3.14, 101.69), ("Penang", 5.41, 100.33), ("Cyberjaya", 2.92, 101.65),
    ),
    _country(
        "TH", "Thailand", ASIA_PACIFIC, "sea", 3, "Asia/Bangkok",
        ("Bangkok", 13.76, 100.50), ("Chiang Mai", 18.79, 98.99), ("Khon Kaen", 16.44, 102.84),
    ),
    _country(
        "ID", "Indonesia", ASIA_PACIFIC, "sea", 2, "Asia/Jakarta",
        ("Jakarta", -6.21, 106.85), ("Bandung", -6.91, 107.61), ("Surabaya", -7.25, 112.75),
        ("Yogyakarta", -7.80, 110.36),
    ),
    _country(
        "VN", "Vietnam", ASIA_PACIFIC, "sea", 2, "Asia/Ho_Chi_Minh",
        ("Hanoi", 21.03, 105.85), ("Ho Chi Minh City", 10.82, 106.63), ("Da Nang", 16.05, 108.20),
    ),
    _country(
        "PH", "Philippines", ASIA_PACIFIC, "sea", 1, "Asia/Manila",
        ("Manila", 14.60, 120.98), ("Cebu City", 10.32, 123.89),
    ),
    _country(
        "AU", "Australia", ASIA_PACIFIC, "en", 4, "Australia/Sydney",
        ("Sydney", -33.87, 151.21), ("Melbourne", -37.81, 144.96, "Australia/Melbourne"),
        ("Brisbane", -27.47, 153.03, "Australia/Brisbane"),
        ("Perth", -31.95, 115.86, "Australia/Perth"),
        ("Adelaide", -34.93, 138.60, "Australia/Adelaide"),
    ),
    _country(
        "NZ", "New Zealand", ASIA_PACIFIC, "en", 1, "Pacific/Auckland",
        ("Auckland", -36.85, 174.76), ("Wellington", -41.29, 174.78),
        ("Christchurch", -43.53, 172.64),
    ),
    _country(
        "TW", "Taiwan", ASIA_PACIFIC, "zh", 3, "Asia/Taipei",
        ("Taipei", 25.03, 121.57), ("Hsinchu", 24.80, 120.97), ("Tainan", 22.99, 120.21),
    ),
    _country(
        "HK", "Hong Kong", ASIA_PACIFIC, "zh", 1, "Asia/Hong_Kong", ("Hong Kong", 22.32, 114.17)
    ),
    # Europe
    _country(
        "ES", "Spain", EUROPE, "es", 8, "Europe/Madrid",
        ("Barcelona", 41.39, 2.17), ("Madrid", 40.42, -3.70), ("Málaga", 36.72, -4.42),
        ("Valencia", 39.47, -0.38), ("Bilbao", 43.26, -2.93), ("Seville", 37.39, -5.98),
        ("Zaragoza", 41.65, -0.89),
    ),
    _country(
        "FR", "France", EUROPE, "fr", 6, "Europe/Paris",
        ("Paris", 48.86, 2.35), ("Sophia Antipolis", 43.62, 7.05), ("Grenoble", 45.19, 5.72),
        ("Lyon", 45.76, 4.84), ("Toulouse", 43.60, 1.44), ("Nantes", 47.22, -1.55),
    ),
    _country(
        "DE", "Germany", EUROPE, "de", 6, "Europe/Berlin",
        ("Berlin", 52.52, 13.40), ("Munich", 48.14, 11.58), ("Dresden", 51.05, 13.74),
        ("Hamburg", 53.55, 9.99), ("Aachen", 50.78, 6.08), ("Stuttgart", 48.78, 9.18),
    ),
    _country(
        "GB", "United Kingdom", EUROPE, "en", 6, "Europe/London",
        ("Cambridge", 52.21, 0.12), ("Oxford", 51.75, -1.26), ("Manchester", 53.48, -2.24),
        ("Edinburgh", 55.95, -3.19), ("Bristol", 51.45, -2.59), ("London", 51.51, -0.13),
    ),
    _country(
        "IT", "Italy", EUROPE, "it", 4, "Europe/Rome",
        ("Milan", 45.46, 9.19), ("Turin", 45.07, 7.69), ("Trieste", 45.65, 13.78),
        ("Bologna", 44.49, 11.34), ("Naples", 40.85, 14.27),
    ),
    _country(
        "NL", "Netherlands", EUROPE, "nl", 4, "Europe/Amsterdam",
        ("Eindhoven", 51.44, 5.47), ("Amsterdam", 52.37, 4.90), ("Delft", 52.01, 4.36),
        ("Leiden", 52.16, 4.49), ("Utrecht", 52.09, 5.12), ("Wageningen", 51.97, 5.67),
    ),
    _country(
        "SE", "Sweden", EUROPE, "nordic", 3, "Europe/Stockholm",
        ("Stockholm", 59.33, 18.07), ("Lund", 55.70, 13.19), ("Gothenburg", 57.71, 11.97),
        ("Uppsala", 59.86, 17.64), ("Linköping", 58.41, 15.62),
    ),
    _country(
        "FI", "Finland", EUROPE, "nordic", 2, "Europe/Helsinki",
        ("Helsinki", 60.17, 24.94), ("Espoo", 60.21, 24.66), ("Oulu", 65.01, 25.47),
        ("Tampere", 61.50, 23.79),
    ),
    _country(
        "DK", "Denmark", EUROPE, "nordic", 2, "Europe/Copenhagen",
        ("Copenhagen", 55.68, 12.57), ("Aarhus", 56.16, 10.20), ("Odense", 55.40, 10.39),
    ),
    _country(
        "NO", "Norway", EUROPE, "nordic", 2, "Europe/Oslo",
        ("Oslo", 59.91, 10.75), ("Trondheim", 63.43, 10.40), ("Bergen", 60.39, 5.32),
    ),
    _country(
        "PT", "Portugal", EUROPE, "pt", 3, "Europe/Lisbon",
        ("Lisbon", 38.72, -9.14), ("Porto", 41.15, -8.61), ("Braga", 41.55, -8.42),
        ("Aveiro", 40.64, -8.65),
    ),
    _country(
        "PL", "Poland", EUROPE, "pl", 3, "Europe/Warsaw",
        ("Warsaw", 52.23, 21.01), ("Kraków", 50.06, 19.94), ("Wrocław", 51.11, 17.04),
        ("Gdańsk", 54.35, 18.65), ("Poznań", 52.41, 16.93),
    ),
    _country(
        "CZ", "Czechia", EUROPE, "pl", 1, "Europe/Prague", ("Prague", 50.08, 14.44),
        ("Brno", 49.20, 16.61),
    ),
    _country(
        "AT", "Austria", EUROPE, "de", 2, "Europe/Vienna",
        ("Vienna", 48.21, 16.37), ("Graz", 47.07, 15.44), ("Linz", 48.31, 14.29),
    ),
    _country(
        "CH", "Switzerland", EUROPE, "de", 2, "Europe/Zurich",
        ("Zurich", 47.38, 8.54), ("Lausanne", 46.52, 6.63), ("Basel", 47.56, 7.59),
        ("Geneva", 46.20, 6.14),
    ),
    _country(
        "BE", "Belgium", EUROPE, "nl", 2, "Europe/Brussels",
        ("Leuven", 50.88, 4.70), ("Ghent", 51.05, 3.72), ("Brussels", 50.85, 4.35),
        ("Liège", 50.63, 5.57),
    ),
    _country(
        "IE", "Ireland", EUROPE, "en", 2, "Europe/Dublin",
        ("Dublin", 53.35, -6.26), ("Cork", 51.90, -8.47), ("Galway", 53.27, -9.06),
    ),
    _country(
        "EE", "Estonia", EUROPE, "nordic", 1, "Europe/Tallinn",
        ("Tallinn", 59.44, 24.75), ("Tartu", 58.38, 26.72),
    ),
    _country(
        "GR", "Greece", EUROPE, "gr", 2, "Europe/Athens",
        ("Athens", 37.98, 23.73), ("Thessaloniki", 40.64, 22.94), ("Heraklion", 35.34, 25.13),
    ),
    _country(
        "HU", "Hungary", EUROPE, "pl", 1, "Europe/Budapest",
        ("Budapest", 47.50, 19.04), ("Debrecen", 47.53, 21.63),
    ),
    _country(
        "TR", "Turkey", EUROPE, "tr", 4, "Europe/Istanbul",
        ("Istanbul", 41.01, 28.98), ("Ankara", 39.93, 32.86), ("Izmir", 38.42, 27.14),
        ("Bursa", 40.19, 29.06),
    ),
    # Latin America
    _country(
        "BR", "Brazil", LATIN_AMERICA, "pt", 8, "America/Sao_Paulo",
        ("São Paulo", -23.55, -46.63), ("Florianópolis", -27.60, -48.55),
        ("Porto Alegre", -30.03, -51.23), ("Recife", -8.05, -34.88, "America/Recife"),
        ("Campinas", -22.91, -47.06), ("Rio de Janeiro", -22.91, -43.17),
        ("Belo Horizonte", -19.92, -43.94),
    ),
    _country(
        "MX", "Mexico", LATIN_AMERICA, "es", 4, "America/Mexico_City",
        ("Mexico City", 19.43, -99.13), ("Monterrey", 25.69, -100.32, "America/Monterrey"),
        ("Guadalajara", 20.66, -103.35), ("Querétaro", 20.59, -100.39),
    ),
    _country(
        "AR", "Argentina", LATIN_AMERICA, "es", 3, "America/Argentina/Buenos_Aires",
        ("Buenos Aires", -34.60, -58.38),
        ("Córdoba", -31.42, -64.18, "America/Argentina/Cordoba"),
        ("Rosario", -32.95, -60.65),
    ),
    _country(
        "CL", "Chile", LATIN_AMERICA, "es", 2, "America/Santiago",
        ("Santiago", -33.45, -70.67), ("Valparaíso", -33.05, -71.62),
        ("Concepción", -36.83, -73.05),
    ),
    _country(
        "CO", "Colombia", LATIN_AMERICA, "es", 3, "America/Bogota",
        ("Bogotá", 4.71, -74.07), ("Medellín", 6.24, -75.58), ("Cali", 3.45, -76.53),
    ),
    _country(
        "PE", "Peru", LATIN_AMERICA, "es", 1, "America/Lima",
        ("Lima", -12.05, -77.04), ("Arequipa", -16.41, -71.54),
    ),
    _country(
        "UY", "Uruguay", LATIN_AMERICA, "es", 1, "America/Montevideo",
        ("Montevideo", -34.90, -56.16),
    ),
    _country(
        "CR", "Costa Rica", LATIN_AMERICA, "es", 1, "America/Costa_Rica", ("San José", 9.93, -84.08)
    ),
    _country(
        "EC", "Ecuador", LATIN_AMERICA, "es", 1, "America/Guayaquil",
        ("Quito", -0.18, -78.47), ("Guayaquil", -2.17, -79.92),
    ),
    _country(
        "PA", "Panama", LATIN_AMERICA, "es", 1, "America/Panama", ("Panama City", 8.98, -79.52)
    ),
    # North America
    _country(
        "US", "United States", NORTH_AMERICA, "en", 14, "America/New_York",
        ("Research Triangle Park", 35.90, -78.86), ("Boston", 42.36, -71.06),
        ("Pittsburgh", 40.44, -79.99), ("Austin", 30.27, -97.74, "America/Chicago"),
        ("Phoenix", 33.45, -112.07, "America/Phoenix"),
        ("San Diego", 32.72, -117.16, "America/Los_Angeles"),
        ("Seattle", 47.61, -122.33, "America/Los_Angeles"),
        ("Chicago", 41.88, -87.63, "America/Chicago"), ("Atlanta", 33.75, -84.39),
        ("Salt Lake City", 40.76, -111.89, "America/Denver"),
        ("Denver", 39.74, -104.99, "America/Denver"), ("Philadelphia", 39.95, -75.17),
        ("St. Louis", 38.63, -90.20, "America/Chicago"),
        ("Madison", 43.07, -89.40, "America/Chicago"),
    ),
    _country(
        "CA", "Canada", NORTH_AMERICA, "en", 4, "America/Toronto",
        ("Toronto", 43.65, -79.38), ("Montreal", 45.50, -73.57),
        ("Vancouver", 49.28, -123.12, "America/Vancouver"), ("Waterloo", 43.46, -80.52),
        ("Calgary", 51.05, -114.07, "America/Edmonton"), ("Ottawa", 45.42, -75.70),
        ("Edmonton", 53.55, -113.49, "America/Edmonton"),
        ("Halifax", 44.65, -63.58, "America/Halifax"),
    ),
    # West Asia & North Africa
    _country(
        "AE", "United Arab Emirates", WANA, "ar", 3, "Asia/Dubai",
        ("Dubai", 25.20, 55.27), ("Abu Dhabi", 24.45, 54.38), ("Sharjah", 25.35, 55.42),
    ),
    _country(
        "SA", "Saudi Arabia", WANA, "ar", 3, "Asia/Riyadh",
        ("Riyadh", 24.71, 46.68), ("Jeddah", 21.49, 39.19), ("Dhahran", 26.29, 50.11),
    ),
    _country("QA", "Qatar", WANA, "ar", 1, "Asia/Qatar", ("Doha", 25.29, 51.53)),
    _country("OM", "Oman", WANA, "ar", 1, "Asia/Muscat", ("Muscat", 23.59, 58.41)),
    _country("JO", "Jordan", WANA, "ar", 1, "Asia/Amman", ("Amman", 31.95, 35.93)),
    _country("LB", "Lebanon", WANA, "ar", 1, "Asia/Beirut", ("Beirut", 33.89, 35.50)),
    _country(
        "EG", "Egypt", WANA, "ar", 2, "Africa/Cairo",
        ("Cairo", 30.04, 31.24), ("Alexandria", 31.20, 29.92),
    ),
    _country(
        "MA", "Morocco", WANA, "fr", 2, "Africa/Casablanca",
        ("Rabat", 34.02, -6.84), ("Casablanca", 33.57, -7.59), ("Marrakesh", 31.63, -7.99),
        ("Tangier", 35.76, -5.83),
    ),
    _country(
        "TN", "Tunisia", WANA, "fr", 1, "Africa/Tunis",
        ("Tunis", 36.81, 10.18), ("Sfax", 34.74, 10.76), ("Sousse", 35.83, 10.64),
    ),
    _country(
        "DZ", "Algeria", WANA, "fr", 1, "Africa/Algiers",
        ("Algiers", 36.75, 3.06), ("Oran", 35.70, -0.63),
    ),
    _country("KW", "Kuwait", WANA, "ar", 1, "Asia/Kuwait", ("Kuwait City", 29.38, 47.99)),
    _country("BH", "Bahrain", WANA, "ar", 1, "Asia/Bahrain", ("Manama", 26.23, 50.59)),
]
# fmt: on

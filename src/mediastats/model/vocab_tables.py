"""The data behind `mediastats.model.vocab`: vendor tables, explicit spellings, country names.

Spelling tables map how a client may write a value to its canonical value; `vocab` folds their
keys (lower case, letters and digits only), so ``Smart TV``, ``SMART_TV`` and ``smart-tv`` meet.
An entry of a spelling table is either a canonical value or ``(value, ((field, implied), ...))``:
the implied values fill other fields of the event that are still empty.
"""

from __future__ import annotations

Spelling = str | tuple[str, tuple[tuple[str, str], ...]]

# Amagi section 8, "Device Type and Device Name Options", verbatim.
AMAGI_DEVICES: dict[str, tuple[str, ...]] = {
    "Desktop": ("Apple OS X", "Windows Desktop", "Desktop"),
    "Media Player": ("Apple iPod",),
    "Mobile Phone": ("Apple iPhone", "Samsung Mobile", "OthersMobile"),
    "Roku": ("Roku",),
    "Smart TV": (
        "Amazon Fire TV", "Google Chromecast", "Samsung TV", "Haier TV", "Hisense TV", "Philips TV",
        "Panasonic TV", "Vizio TV", "LG TV", "OthersTV", "Amazon Fire TV Stick", "Apple TV",
    ),
    "TV": ("Set Top Box TV",),
    "Tablet": ("Apple iPad", "Samsung Tablet", "OthersTablet"),
    "Others": ("Others",),
}
# Brands that have an Amagi "<Brand> TV" name.
AMAGI_TV_BRANDS = ("Samsung", "Haier", "Hisense", "Philips", "Panasonic", "Vizio", "LG")

S73_OS: dict[str, str] = {
    "Windows": "WINDOWS", "macOS": "MAC", "Linux": "LINUX", "iOS": "IOS", "iPadOS": "IOS",
    "Android": "ANDROID", "Android TV": "ANDROID", "Fire OS": "ANDROID", "tvOS": "TVOS",
    "Tizen": "TIZEN", "webOS": "WEBOS", "Roku OS": "ROKU", "ChromeOS": "CHROMEOS",
}
# Browser → System73 platform of a web page (native apps and TVs are decided by platform).
S73_BROWSER: dict[str, str] = {
    "Chrome": "CHROME", "Firefox": "FIREFOX", "Safari": "SAFARI", "Edge": "EDGE",
    "Edge Legacy": "EDGE", "Opera": "OPERA",
}
WMS_PLAYER: dict[str, str] = {
    "Chrome": "Chrome", "Safari": "Safari", "Firefox": "Firefox", "Internet Explorer": "MSIE",
    "Edge Legacy": "MSIE", "Edge": "Edge", "Opera": "Opera", "Flash": "Flash", "VLC": "VLC",
    "Roku": "Roku", "Electron": "Chrome",
}
# Browsers built on Chromium that WMSPanel and System73 count as Chrome.
CHROMIUM_BROWSERS = frozenset({
    "Chromium", "Samsung Internet", "Yandex Browser", "Brave", "Vivaldi", "Silk", "Huawei Browser",
    "MIUI Browser", "Whale Browser", "UC Browser",
})

OS_SPELLINGS: dict[str, Spelling] = {
    "Windows": "Windows", "Win": "Windows", "Win32": "Windows", "Win64": "Windows",
    "Windows NT": "Windows", "Microsoft Windows": "Windows", "Windows Desktop": "Windows",
    "macOS": "macOS", "Mac": "macOS", "MAC": "macOS", "Mac OS": "macOS", "Mac OS X": "macOS",
    "OS X": "macOS", "Macintosh": "macOS", "Apple OS X": "macOS",
    "Linux": "Linux", "GNU/Linux": "Linux", "Ubuntu": "Linux", "Debian": "Linux", "Fedora": "Linux",
    "ChromeOS": "ChromeOS", "Chrome OS": "ChromeOS", "CrOS": "ChromeOS", "Chromium OS": "ChromeOS",
    "iOS": "iOS", "iPhone OS": "iOS", "iPhone": "iOS", "iPod": "iOS", "Apple iPhone": "iOS",
    "Apple iPod": "iOS", "iPadOS": "iPadOS", "iPad": "iPadOS", "Apple iPad": "iPadOS",
    "Android": "Android", "Android TV": "Android TV", "Google TV": "Android TV",
    "Fire OS": "Fire OS", "Fire TV": "Fire OS", "Amazon Fire TV": "Fire OS",
    "tvOS": "tvOS", "Apple TV": "tvOS", "Tizen": "Tizen", "webOS": "webOS", "Web0S": "webOS",
    "LG webOS": "webOS", "Roku OS": "Roku OS", "Roku": "Roku OS",
}

_WEB = "web"  # a browser page: vocab.web_platform picks web-desktop or web-mobile
_TV = (("device_type", "smart-tv"),)


def _web(browser: str) -> Spelling:
    return (_WEB, (("browser", browser),))


PLATFORM_SPELLINGS: dict[str, Spelling] = {
    # Streamroot, and the one canonical platform it lacks
    "web-desktop": "web-desktop", "web-mobile": "web-mobile",
    "android-native": ("android-native", (("os", "Android"),)),
    "android-webview": ("android-webview", (("os", "Android"),)),
    "ios-native": ("ios-native", (("os", "iOS"),)),
    "chromecast": ("chromecast", (("device_type", "smart-tv"), ("device_name", "Google Chromecast"))),
    "smart-tv": ("smart-tv", _TV), "desktop-electron": "desktop-electron",
    "desktop-native": "desktop-native",
    # System73 (SMART_TV and smart-tv fold to the same key)
    "ANDROID": ("android-native", (("os", "Android"),)), "IOS": ("ios-native", (("os", "iOS"),)),
    "CHROME": _web("Chrome"), "FIREFOX": _web("Firefox"), "SAFARI": _web("Safari"),
    "EDGE": _web("Edge"), "OPERA": _web("Opera"), "MSIE": _web("Internet Explorer"),
    # other words for the same things
    "web": _WEB, "browser": _WEB, "html5": _WEB, "mobile web": "web-mobile", "desktop": "web-desktop",
    "electron": "desktop-electron", "Google Chromecast": "chromecast", "cast": "chromecast",
    "TV": ("smart-tv", _TV), "CTV": ("smart-tv", _TV), "Connected TV": ("smart-tv", _TV),
    "Set Top Box TV": ("smart-tv", (("device_type", "set-top-box"),)),
    "Roku": ("smart-tv", (("device_type", "smart-tv"), ("os", "Roku OS"))),
    "Apple TV": ("smart-tv", (("device_type", "smart-tv"), ("os", "tvOS"))),
    "tvOS": ("smart-tv", (("device_type", "smart-tv"), ("os", "tvOS"))),
    "Tizen": ("smart-tv", (("device_type", "smart-tv"), ("os", "Tizen"))),
    "webOS": ("smart-tv", (("device_type", "smart-tv"), ("os", "webOS"))),
    "Android TV": ("smart-tv", (("device_type", "smart-tv"), ("os", "Android TV"))),
    "Fire TV": ("smart-tv", (("device_type", "smart-tv"), ("os", "Fire OS"))),
}

CONNECTION_SPELLINGS: dict[str, Spelling] = {
    "ethernet": "ethernet", "LAN": "ethernet", "wired": "ethernet", "cable": "ethernet",
    "wifi": "wifi", "Wi-Fi": "wifi", "WLAN": "wifi", "wireless": "wifi",
    "cellular": "cellular", "mobile": "cellular", "cell": "cellular", "WWAN": "cellular",
    "2G": "cellular", "3G": "cellular", "4G": "cellular", "5G": "cellular", "LTE": "cellular",
}

PLAYER_SPELLINGS: dict[str, Spelling] = {
    "Chrome": "Chrome", "Google Chrome": "Chrome", "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome", "CriOS": "Chrome", "Chrome Webview": "Chrome",
    "Safari": "Safari", "Mobile Safari": "Safari", "Firefox": "Firefox", "Firefox Mobile": "Firefox",
    "Firefox Mobile iOS": "Firefox", "FxiOS": "Firefox", "Mozilla Firefox": "Firefox",
    "Edge": "Edge", "Microsoft Edge": "Edge", "Edg": "Edge", "EdgA": "Edge", "EdgiOS": "Edge",
    "Edge Legacy": "Edge Legacy", "EdgeHTML": "Edge Legacy",
    "MSIE": "Internet Explorer", "IE": "Internet Explorer", "Internet Explorer": "Internet Explorer",
    "IE Mobile": "Internet Explorer", "Opera": "Opera", "OPR": "Opera", "Opera Mobile": "Opera",
    "Opera Mini": "Opera", "Opera GX": "Opera", "Samsung Internet": "Samsung Internet",
    "Samsung Browser": "Samsung Internet", "Mobile Silk": "Silk", "Silk": "Silk",
    "Flash": "Flash", "Flash Player": "Flash", "Adobe Flash": "Flash", "VLC": "VLC", "LibVLC": "VLC",
    "VLC media player": "VLC", "Roku": "Roku", "ExoPlayer": "ExoPlayer", "ExoPlayerLib": "ExoPlayer",
    "Media3": "ExoPlayer", "AVPlayer": "AVPlayer", "AppleCoreMedia": "AVPlayer", "Electron": "Electron",
}

# Device types: Amagi types, WMSPanel devices, Amagi names (which also name the device).
DEVICE_TYPE_SPELLINGS: dict[str, Spelling] = {
    "desktop": "desktop", "PC": "desktop", "computer": "desktop", "laptop": "desktop",
    "smartphone": "smartphone", "Mobile Phone": "smartphone", "phone": "smartphone",
    "mobile": "smartphone", "phablet": "smartphone", "feature phone": "smartphone",
    "tablet": "tablet", "smart-tv": "smart-tv", "Smart TV": "smart-tv", "SMART_TV": "smart-tv",
    "Connected TV": "smart-tv", "CTV": "smart-tv",
    "set-top-box": "set-top-box", "TV": "set-top-box", "Set Top Box": "set-top-box", "STB": "set-top-box",
    "console": "console", "game console": "console", "media-player": "media-player",
    "Media Player": "media-player", "portable media player": "media-player", "wearable": "wearable",
    "car": "car", "car browser": "car", "smart-display": "smart-display",
    "smart-speaker": "smart-speaker", "camera": "camera", "peripheral": "peripheral",
    "Roku": ("smart-tv", (("device_name", "Roku"), ("os", "Roku OS"))),
    "chromecast": ("smart-tv", (("device_name", "Google Chromecast"),)),
    "iPhone": ("smartphone", (("device_name", "Apple iPhone"), ("os", "iOS"))),
    "iPad": ("tablet", (("device_name", "Apple iPad"), ("os", "iPadOS"))),
    "iPod": ("media-player", (("device_name", "Apple iPod"), ("os", "iOS"))),
    "Windows": ("desktop", (("os", "Windows"),)), "Macintosh": ("desktop", (("os", "macOS"),)),
    "Linux": ("desktop", (("os", "Linux"),)), "ChromeOS": ("desktop", (("os", "ChromeOS"),)),
    "Android": ("smartphone", (("os", "Android"),)),
}
DEVICE_TYPE_OF_AMAGI = {
    "Desktop": "desktop", "Media Player": "media-player", "Mobile Phone": "smartphone",
    "Roku": "smart-tv", "Smart TV": "smart-tv", "TV": "set-top-box", "Tablet": "tablet", "Others": "",
}
# OS that an Amagi device name implies.
OS_OF_DEVICE_NAME = {
    "Apple OS X": "macOS", "Windows Desktop": "Windows", "Apple iPhone": "iOS", "Apple iPod": "iOS",
    "Apple iPad": "iPadOS", "Apple TV": "tvOS", "Roku": "Roku OS", "Amazon Fire TV": "Fire OS",
    "Amazon Fire TV Stick": "Fire OS", "Samsung TV": "Tizen", "LG TV": "webOS",
}


def _amagi_name_spellings() -> tuple[dict[str, Spelling], dict[str, Spelling]]:
    """An Amagi device name sent as device_name names the device and implies its type (and OS);
    sent as device_type it gives the type and names the device."""
    as_name: dict[str, Spelling] = {}
    as_type: dict[str, Spelling] = {}
    for amagi_type, names in AMAGI_DEVICES.items():
        device_type = DEVICE_TYPE_OF_AMAGI[amagi_type]
        for name in names:
            os_implied = (("os", OS_OF_DEVICE_NAME[name]),) if name in OS_OF_DEVICE_NAME else ()
            as_name[name] = (name, (("device_type", device_type), *os_implied))
            as_type[name] = (device_type, (("device_name", name), *os_implied))
    for short in ("iPhone", "iPad", "iPod"):  # WMSPanel's Apple models
        as_name[short] = as_name["Apple " + short]
    as_name["SmartTV"] = as_name["OthersTV"]
    return as_name, as_type


DEVICE_NAME_SPELLINGS, _DEVICE_TYPE_BY_NAME = _amagi_name_spellings()
DEVICE_TYPE_SPELLINGS = {**_DEVICE_TYPE_BY_NAME, **DEVICE_TYPE_SPELLINGS}

# Spellings every field reads as "not known" (each vendor's unknown bucket).
UNKNOWN_SPELLINGS = ("Unknown", "UNKNOWN", "Others", "Other", "none", "null", "undefined")

# ISO 3166-1 alpha-2 → English short name, spelled as the Amagi country list spells it (its copy in
# the seed lost the accented letters: Curaçao, Åland, Réunion, Saint Barthélemy, São Tomé and Príncipe).
COUNTRY_NAMES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan", "AG": "Antigua and Barbuda",
    "AI": "Anguilla", "AL": "Albania", "AM": "Armenia", "AO": "Angola", "AQ": "Antarctica",
    "AR": "Argentina", "AS": "American Samoa", "AT": "Austria", "AU": "Australia", "AW": "Aruba",
    "AX": "Åland", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados",
    "BD": "Bangladesh", "BE": "Belgium", "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain",
    "BI": "Burundi", "BJ": "Benin", "BL": "Saint Barthélemy", "BM": "Bermuda", "BN": "Brunei",
    "BO": "Bolivia", "BQ": "Bonaire Sint Eustatius and Saba", "BR": "Brazil", "BS": "Bahamas",
    "BT": "Bhutan", "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize",
    "CA": "Canada", "CC": "Cocos Keeling Islands", "CD": "DR Congo", "CF": "Central African Republic",
    "CG": "Congo Republic", "CH": "Switzerland", "CI": "Ivory Coast", "CK": "Cook Islands",
    "CL": "Chile", "CM": "Cameroon", "CN": "China", "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba",
    "CV": "Cabo Verde", "CW": "Curaçao", "CX": "Christmas Island", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DJ": "Djibouti", "DK": "Denmark", "DM": "Dominica", "DO": "Dominican Republic",
    "DZ": "Algeria", "EC": "Ecuador", "EE": "Estonia", "EG": "Egypt", "EH": "Western Sahara",
    "ER": "Eritrea", "ES": "Spain", "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji",
    "FK": "Falkland Islands", "FM": "Federated States of Micronesia", "FO": "Faroe Islands",
    "FR": "France", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada", "GE": "Georgia",
    "GF": "French Guiana", "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar", "GL": "Greenland",
    "GM": "Gambia", "GN": "Guinea", "GP": "Guadeloupe", "GQ": "Equatorial Guinea", "GR": "Greece",
    "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras", "HR": "Croatia", "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia",
    "IE": "Ireland", "IL": "Israel", "IM": "Isle of Man", "IN": "India",
    "IO": "British Indian Ocean Territory", "IQ": "Iraq", "IR": "Iran", "IS": "Iceland", "IT": "Italy",
    "JE": "Jersey", "JM": "Jamaica", "JO": "Jordan", "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan",
    "KH": "Cambodia", "KI": "Kiribati", "KM": "Comoros", "KN": "St Kitts and Nevis", "KP": "North Korea",
    "KR": "South Korea", "KW": "Kuwait", "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Laos",
    "LB": "Lebanon", "LC": "Saint Lucia", "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia",
    "LS": "Lesotho", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya",
    "MA": "Morocco", "MC": "Principality of Monaco", "MD": "Moldova", "ME": "Montenegro",
    "MF": "Saint Martin", "MG": "Madagascar", "MH": "Marshall Islands", "MK": "North Macedonia",
    "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia", "MO": "Macao", "MP": "Northern Mariana Islands",
    "MQ": "Martinique", "MR": "Mauritania", "MS": "Montserrat", "MT": "Malta", "MU": "Mauritius",
    "MV": "Maldives", "MW": "Malawi", "MX": "Mexico", "MY": "Malaysia", "MZ": "Mozambique",
    "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger", "NF": "Norfolk Island", "NG": "Nigeria",
    "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway", "NP": "Nepal", "NR": "Nauru", "NU": "Niue",
    "NZ": "New Zealand", "OM": "Oman", "PA": "Panama", "PE": "Peru", "PF": "French Polynesia",
    "PG": "Papua New Guinea", "PH": "Philippines", "PK": "Pakistan", "PL": "Poland",
    "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn Islands", "PR": "Puerto Rico", "PS": "Palestine",
    "PT": "Portugal", "PW": "Palau", "PY": "Paraguay", "QA": "Qatar", "RE": "Réunion", "RO": "Romania",
    "RS": "Serbia", "RU": "Russia", "RW": "Rwanda", "SA": "Saudi Arabia", "SB": "Solomon Islands",
    "SC": "Seychelles", "SD": "Sudan", "SE": "Sweden", "SG": "Singapore", "SH": "Saint Helena",
    "SI": "Slovenia", "SJ": "Svalbard and Jan Mayen", "SK": "Slovakia", "SL": "Sierra Leone",
    "SM": "San Marino", "SN": "Senegal", "SO": "Somalia", "SR": "Suriname", "SS": "South Sudan",
    "ST": "São Tomé and Príncipe", "SV": "El Salvador", "SX": "Sint Maarten", "SY": "Syria",
    "SZ": "Eswatini", "TC": "Turks and Caicos Islands", "TD": "Chad", "TF": "French Southern Territories",
    "TG": "Togo", "TH": "Thailand", "TJ": "Tajikistan", "TK": "Tokelau", "TL": "East Timor",
    "TM": "Turkmenistan", "TN": "Tunisia", "TO": "Tonga", "TR": "Turkey", "TT": "Trinidad and Tobago",
    "TV": "Tuvalu", "TW": "Taiwan", "TZ": "Tanzania", "UA": "Ukraine", "UG": "Uganda",
    "UM": "U.S. Outlying Islands", "US": "United States", "UY": "Uruguay", "UZ": "Uzbekistan",
    "VA": "Vatican City", "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela",
    "VG": "British Virgin Islands", "VI": "U.S. Virgin Islands", "VN": "Vietnam", "VU": "Vanuatu",
    "WF": "Wallis and Futuna", "WS": "Samoa", "XK": "Kosovo", "YE": "Yemen", "YT": "Mayotte",
    "ZA": "South Africa", "ZM": "Zambia", "ZW": "Zimbabwe",
}
# Other names clients send for a country (the seed's accent-less copies among them).
COUNTRY_ALIASES: dict[str, str] = {
    "USA": "US", "United States of America": "US", "UK": "GB", "Great Britain": "GB",
    "Czech Republic": "CZ", "Korea": "KR", "Republic of Korea": "KR", "Russian Federation": "RU",
    "Monaco": "MC", "Cape Verde": "CV", "Timor-Leste": "TL", "Côte d'Ivoire": "CI",
    "Democratic Republic of the Congo": "CD", "Republic of the Congo": "CG", "Macau": "MO",
    "Swaziland": "SZ", "Burma": "MM", "Holland": "NL", "Türkiye": "TR", "Viet Nam": "VN",
    "Curaao": "CW", "land": "AX", "Runion": "RE", "Saint Barthlemy": "BL", "So Tom and Prncipe": "ST",
}

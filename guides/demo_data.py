"""The demo New Arrival Guide for Calais and Grande-Synthe, as plain Python data.

`python manage.py load_demo` writes it to the database. Facts (places, times, phone numbers)
come from the Calais booklets and Info Bus reports in shared/seeds; where a source gives no
time or place, the demo picks a plausible one and the service's last_verified date is old,
so it shows up in the "needs checking" lists.

Conventions of this file:
- translated texts are dicts keyed by language code; English and French are always given,
  Arabic almost always, and a few texts in every other language so the fallbacks show;
- times are "HH:MM" strings; dates that must stay ahead of today (exceptions, alerts) are
  given relative to the day the command runs;
- places are named by a short key here; in the database they are matched on name and area.
"""

from datetime import date

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
EVERY_DAY = (MON, TUE, WED, THU, FRI, SAT, SUN)

# A Saturday on which the Calais clothes distribution took place; it repeats every 14 days.
CLOTHES_ANCHOR_SATURDAY = date(2025, 1, 4)


def weekly(days, opens, closes, place=None, **rule):
    """One slot on each of `days`; `rule` adds recurrence, validity or holiday fields."""
    return [
        {"weekday": day, "opens": opens, "closes": closes, "place": place, **rule} for day in days
    ]


def day_and_night(place=None):
    """Open at every minute of every day.

    A slot cannot open and close at the same time, so each day has two slots that meet:
    00:00-12:00 and 12:00-24:00. Together they leave no gap, even on the days the clocks
    change, which 00:00-23:59 would not.
    """
    always = {"closed_on_public_holidays": "no"}
    return [
        *weekly(EVERY_DAY, "00:00", "12:00", place, **always),
        *weekly(EVERY_DAY, "12:00", "00:00", place, **always),
    ]


# --- Areas ---------------------------------------------------------------------------------
AREAS = [
    {
        "slug": "calais",
        "name": {
            "en": "Calais",
            "fr": "Calais",
            "ar": "كاليه",
            "fa": "کاله",
            "ps": "کاله",
            "ur": "کیلے",
            "ckb": "کاله",
            "am": "ካሌ",
            "ti": "ካሌ",
        },
        "centre_latitude": "50.951300",
        "centre_longitude": "1.858700",
        "zoom": 13,
        # Every Calais place, Coquelles included, lies within 6 km of the centre.
        "radius_km": 10,
        "order": 1,
    },
    {
        "slug": "grande-synthe",
        "name": {
            "en": "Grande-Synthe",
            "fr": "Grande-Synthe",
            "ar": "غراند سانت",
            "fa": "گراند سنت",
            "ps": "ګراند سنت",
            "ur": "گراند سانت",
            "ckb": "گراند سانت",
            "am": "ግራንድ ሳንት",
            "ti": "ግራንድ ሳንት",
        },
        "centre_latitude": "51.013600",
        "centre_longitude": "2.302900",
        "zoom": 13,
        # Wide enough for the winter shelter in Bailleul, 31 km to the south-east.
        "radius_km": 35,
        "order": 2,
    },
]

# --- Categories ----------------------------------------------------------------------------
CATEGORIES = [
    {
        "slug": "food",
        "icon": "food",
        "order": 10,
        "name": {
            "en": "Food",
            "fr": "Nourriture",
            "ar": "طعام",
            "fa": "غذا",
            "ps": "خواړه",
            "ur": "کھانا",
            "ckb": "خواردن",
            "am": "ምግብ",
            "ti": "መግቢ",
            "om": "Nyaata",
            "vi": "Thức ăn",
        },
    },
    {
        "slug": "water",
        "icon": "water",
        "order": 20,
        "name": {
            "en": "Water",
            "fr": "Eau",
            "ar": "ماء",
            "fa": "آب",
            "ps": "اوبه",
            "ur": "پانی",
            "ckb": "ئاو",
            "am": "ውሃ",
            "ti": "ማይ",
            "om": "Bishaan",
            "vi": "Nước",
        },
    },
    {
        "slug": "clothes",
        "icon": "clothes",
        "order": 30,
        "name": {
            "en": "Clothes",
            "fr": "Vêtements",
            "ar": "ملابس",
            "fa": "لباس",
            "ps": "جامې",
            "ur": "کپڑے",
            "ckb": "جلوبەرگ",
            "am": "ልብስ",
            "ti": "ክዳን",
            "om": "Uffata",
            "vi": "Quần áo",
        },
    },
    {
        "slug": "showers-hygiene",
        "icon": "shower",
        "order": 40,
        "name": {
            "en": "Showers and hygiene",
            "fr": "Douches et hygiène",
            "ar": "استحمام ونظافة",
            "fa": "دوش و بهداشت",
            "ps": "شاور او پاکوالی",
            "ur": "غسل اور صفائی",
            "ckb": "دووش و پاکوخاوێنی",
            "am": "ሻወርና ንጽሕና",
            "ti": "ሻወርን ጽሬትን",
            "om": "Shaawaraa fi qulqullina",
            "vi": "Tắm và vệ sinh",
        },
    },
    {
        "slug": "shelter",
        "icon": "shelter",
        "order": 50,
        "name": {
            "en": "Shelter",
            "fr": "Hébergement",
            "ar": "مأوى",
            "fa": "سرپناه",
            "ps": "سرپناه",
            "ur": "پناہ گاہ",
            "ckb": "پەناگە",
            "am": "መጠለያ",
            "ti": "መዕቆቢ",
            "om": "Bakka bulmaataa",
            "vi": "Chỗ ở",
        },
    },
    {
        "slug": "health",
        "icon": "health",
        "order": 60,
        "name": {
            "en": "Health",
            "fr": "Santé",
            "ar": "صحة",
            "fa": "سلامت",
            "ps": "روغتیا",
            "ur": "صحت",
            "ckb": "تەندروستی",
            "am": "ጤና",
            "ti": "ጥዕና",
            "om": "Fayyaa",
            "vi": "Sức khỏe",
        },
    },
    {
        "slug": "legal-asylum",
        "icon": "legal",
        "order": 70,
        "name": {
            "en": "Legal help and asylum",
            "fr": "Aide juridique et asile",
            "ar": "مساعدة قانونية ولجوء",
            "fa": "کمک حقوقی و پناهندگی",
            "ps": "حقوقي مرسته او پناه غوښتنه",
            "ur": "قانونی مدد اور پناہ",
            "ckb": "یارمەتی یاسایی و پەنابەری",
            "am": "የሕግ እርዳታና ጥገኝነት",
            "ti": "ሕጋዊ ሓገዝን ዑቕባን",
            "om": "Gargaarsa seeraa fi baqaa",
            "vi": "Trợ giúp pháp lý và tị nạn",
        },
    },
    {
        "slug": "charging-wifi",
        "icon": "charge",
        "order": 80,
        "name": {
            "en": "Phone charging and wifi",
            "fr": "Recharge de téléphone et wifi",
            "ar": "شحن الهاتف والواي فاي",
            "fa": "شارژ گوشی و وای‌فای",
            "ps": "د ټیلیفون چارج او وای فای",
            "ur": "فون چارجنگ اور وائی فائی",
            "ckb": "بارگاویکردنی مۆبایل و وای‌فای",
            "am": "የስልክ ቻርጅና ዋይፋይ",
            "ti": "ቻርጅ ተሌፎንን ዋይፋይን",
            "om": "Chaarjii bilbilaa fi Wi-Fi",
            "vi": "Sạc điện thoại và wifi",
        },
    },
    {
        "slug": "french-lessons",
        "icon": "lessons",
        "order": 90,
        "name": {
            "en": "French lessons",
            "fr": "Cours de français",
            "ar": "دروس اللغة الفرنسية",
            "fa": "کلاس زبان فرانسوی",
            "ps": "د فرانسوي ژبې درسونه",
            "ur": "فرانسیسی زبان کی کلاسیں",
            "ckb": "وانەی زمانی فەرەنسی",
            "am": "የፈረንሳይኛ ትምህርት",
            "ti": "ትምህርቲ ፈረንሳይኛ",
            "om": "Barnoota afaan Faransaayii",
            "vi": "Lớp học tiếng Pháp",
        },
    },
    {
        "slug": "women-children",
        "icon": "family",
        "order": 100,
        "name": {
            "en": "Women and children",
            "fr": "Femmes et enfants",
            "ar": "نساء وأطفال",
            "fa": "زنان و کودکان",
            "ps": "ښځې او ماشومان",
            "ur": "خواتین اور بچے",
            "ckb": "ئافرەتان و منداڵان",
            "am": "ሴቶችና ሕፃናት",
            "ti": "ደቂ ኣንስትዮን ህጻናትን",
            "om": "Dubartootaa fi daa'imman",
            "vi": "Phụ nữ và trẻ em",
        },
    },
    {
        "slug": "emergencies",
        "icon": "emergency",
        "order": 110,
        "name": {
            "en": "Emergencies",
            "fr": "Urgences",
            "ar": "حالات طارئة",
            "fa": "موارد اضطراری",
            "ps": "بیړني حالات",
            "ur": "ہنگامی حالات",
            "ckb": "حاڵەتی لەناکاو",
            "am": "ድንገተኛ አደጋ",
            "ti": "ህጹጽ ሓደጋ",
            "om": "Haala ariifachiisaa",
            "vi": "Khẩn cấp",
        },
    },
]

# --- Organisations -------------------------------------------------------------------------
ORGANISATIONS = [
    {
        "name": "Salam",
        "description": {
            "en": "Volunteers who serve a hot evening meal every day and help in emergencies.",
            "fr": "Des bénévoles qui servent un repas chaud chaque soir et aident en cas "
            "d'urgence.",
            "ar": "متطوعون يقدمون وجبة عشاء ساخنة كل يوم ويساعدون في الحالات الطارئة.",
        },
    },
    {
        "name": "La Belle Étoile",
        "description": {
            "en": "Serves the midday meal from Monday to Friday.",
            "fr": "Sert le repas de midi du lundi au vendredi.",
            "ar": "تقدم وجبة الغداء من الاثنين إلى الجمعة.",
        },
    },
    {
        "name": "L'Auberge des Migrants",
        "description": {
            "en": "Serves the midday meal at weekends and sometimes gives out clothes after meals.",
            "fr": "Sert le repas de midi le week-end et donne parfois des vêtements après les "
            "repas.",
            "ar": "تقدم وجبة الغداء في عطلة نهاية الأسبوع وتوزع أحياناً ملابس بعد الوجبات.",
        },
    },
    {
        "name": "Le Vestiaire",
        "description": {
            "en": "A clothes room near Notre-Dame church: clothes and shoes, free.",
            "fr": "Un vestiaire près de l'église Notre-Dame : vêtements et chaussures gratuits.",
            "ar": "غرفة ملابس قرب كنيسة نوتردام: ملابس وأحذية مجانية.",
        },
    },
    {
        "name": "Secours Catholique",
        "phone": "03 21 19 86 56",
        "description": {
            "en": "Runs the day centre, showers, French lessons and help with papers.",
            "fr": "Gère l'accueil de jour, des douches, des cours de français et l'aide pour "
            "les papiers.",
            "ar": "تدير مركز الاستقبال النهاري والاستحمام ودروس الفرنسية والمساعدة في الأوراق.",
        },
    },
    {
        "name": "France Terre d'Asile",
        "phone": "03 21 19 66 09",
        "description": {
            "en": "Explains asylum law, helps people claim asylum, works in the detention "
            "centre and follows young people under 18.",
            "fr": "Informe sur le droit d'asile, aide les demandeurs d'asile, intervient au "
            "centre de rétention et suit les mineurs.",
            "ar": "تشرح قانون اللجوء، وتساعد طالبي اللجوء، وتعمل في مركز الاحتجاز، وتتابع "
            "القاصرين دون 18 سنة.",
        },
    },
    {
        "name": "Calais hospital",
        "description": {
            "en": "The public hospital of Calais: emergency department and the PASS clinic.",
            "fr": "L'hôpital public de Calais : urgences et permanence d'accès aux soins (PASS).",
            "ar": "المستشفى العام في كاليه: قسم الطوارئ وعيادة PASS.",
        },
    },
    {
        "name": "GRETA",
        "description": {
            "en": "Adult education centre that gives French lessons to refugees and asylum "
            "seekers.",
            "fr": "Centre de formation pour adultes qui donne des cours de français aux réfugiés "
            "et demandeurs d'asile.",
            "ar": "مركز لتعليم الكبار يقدم دروس الفرنسية للاجئين وطالبي اللجوء.",
        },
    },
    {
        "name": "Refugee Info Bus",
        "is_own": True,
        "description": {
            "en": "A van with wifi and phone charging, SIM cards, phone repairs and information "
            "in many languages.",
            "fr": "Un camion avec wifi et recharge de téléphones, cartes SIM, réparation de "
            "téléphones et informations en plusieurs langues.",
            "ar": "شاحنة فيها واي فاي وشحن للهواتف، وشرائح SIM، وتصليح هواتف، ومعلومات بلغات "
            "كثيرة.",
        },
    },
    {
        "name": "Calais Food Collective",
        "description": {
            "en": "Brings drinking water and food to the living sites.",
            "fr": "Apporte de l'eau potable et de la nourriture sur les lieux de vie.",
            "ar": "تجلب مياه الشرب والطعام إلى أماكن العيش.",
        },
    },
    {
        "name": "Police abuse witness line",
        "phone": "07 87 27 01 86",
        "description": {
            "en": "A phone line from the Calais rights booklet, for victims and witnesses of "
            "police abuse.",
            "fr": "Une ligne téléphonique du livret sur les droits à Calais, pour les victimes "
            "et les témoins d'abus policiers.",
            "ar": "خط هاتفي من كتيّب الحقوق في كاليه، لضحايا تجاوزات الشرطة والشهود عليها.",
        },
    },
    {
        "name": "Calais public library",
        "description": {
            "en": "The town library (médiathèque), with computers and books in several languages.",
            "fr": "La médiathèque de la ville, avec des ordinateurs et des livres en plusieurs "
            "langues.",
        },
    },
    {
        "name": "State cold-weather plan",
        "description": {
            "en": "When it freezes, the State must open emergency shelters for everyone.",
            "fr": "Quand il gèle, l'État doit ouvrir des abris d'urgence pour tout le monde.",
            "ar": "عندما يشتد الصقيع، على الدولة أن تفتح ملاجئ طوارئ للجميع.",
        },
    },
    {
        "name": "Refugee Community Kitchen",
        "description": {
            "en": "Cooks hot meals in a warehouse in Calais and serves them at the living sites.",
            "fr": "Cuisine des repas chauds dans un entrepôt à Calais et les sert sur les lieux "
            "de vie.",
            "ar": "تطبخ وجبات ساخنة في مستودع في كاليه وتقدمها في أماكن العيش.",
        },
    },
    {
        "name": "Utopia 56",
        "description": {
            "en": "Runs an emergency phone line day and night and helps people find shelter.",
            "fr": "Tient une ligne d'urgence jour et nuit et aide à trouver un abri.",
            "ar": "تدير خط طوارئ ليلاً ونهاراً وتساعد الناس في إيجاد مأوى.",
        },
    },
    {
        "name": "Refugee Women's Centre",
        "description": {
            "en": "Support for women and children: hygiene products, baby items, a safe "
            "space to talk.",
            "fr": "Soutien aux femmes et aux enfants : produits d'hygiène, affaires pour bébés, "
            "un espace sûr pour parler.",
            "ar": "دعم للنساء والأطفال: مواد نظافة، وأغراض للرضّع، ومكان آمن للحديث.",
        },
    },
    {
        "name": "Médecins du Monde",
        "description": {
            "en": "Doctors and nurses who hold free clinics at the living sites.",
            "fr": "Des médecins et infirmiers qui tiennent des consultations gratuites sur les "
            "lieux de vie.",
            "ar": "أطباء وممرضون يقدمون استشارات مجانية في أماكن العيش.",
        },
    },
    {
        "name": "Grande-Synthe town council",
        "description": {
            "en": "The town hall of Grande-Synthe, which runs the water taps near the lake.",
            "fr": "La mairie de Grande-Synthe, qui gère les robinets d'eau près du lac.",
            "ar": "بلدية غراند سانت، التي تدير صنابير المياه قرب البحيرة.",
        },
    },
    {
        "name": "Dunkirk hospital",
        "description": {
            "en": "The public hospital of Dunkirk, with an emergency department.",
            "fr": "L'hôpital public de Dunkerque, avec un service d'urgences.",
            "ar": "المستشفى العام في دنكيرك، وفيه قسم للطوارئ.",
        },
    },
    {
        "name": "Flandres Terre Solidaire",
        "description": {
            "en": "An association in Bailleul that houses people with health problems in winter.",
            "fr": "Une association de Bailleul qui héberge en hiver des personnes ayant des "
            "problèmes de santé.",
            "ar": "جمعية في بايول تؤوي في الشتاء أشخاصاً لديهم مشاكل صحية.",
        },
    },
]

# --- Places --------------------------------------------------------------------------------
# Places moved elsewhere come after the place they moved to (see "moved_to").
PLACES = [
    # Calais
    {
        "key": "lamy",
        "area": "calais",
        "name": {
            "en": "Rue Lamy meal point",
            "fr": "Point repas de la rue Lamy",
            "ar": "نقطة الوجبات في شارع لامي",
        },
        "directions": {
            "en": "Near the port. A covered area with tables.",
            "fr": "Près du port. Un espace couvert avec des tables.",
            "ar": "قرب الميناء. مكان مسقوف فيه طاولات.",
        },
        "address": "Rue Lamy, 62100 Calais",
        "latitude": "50.963000",
        "longitude": "1.863000",
    },
    {
        "key": "croy",
        "area": "calais",
        "name": {
            "en": "Rue de Croÿ clothes room",
            "fr": "Vestiaire de la rue de Croÿ",
            "ar": "غرفة الملابس في شارع دو كروي",
        },
        "directions": {
            "en": "Next to the big Notre-Dame church.",
            "fr": "À côté de la grande église Notre-Dame.",
            "ar": "بجانب كنيسة نوتردام الكبيرة.",
        },
        "address": "Rue de Croÿ, 62100 Calais",
        "latitude": "50.958500",
        "longitude": "1.850000",
    },
    {
        "key": "day_centre",
        "area": "calais",
        "name": {
            "en": "Secours Catholique day centre",
            "fr": "Accueil de jour du Secours Catholique",
            "ar": "مركز الاستقبال النهاري (Secours Catholique)",
        },
        "directions": {
            "en": "Far from the centre, on the road to Saint-Omer, south of the town.",
            "fr": "Loin du centre, sur la route de Saint-Omer, au sud de la ville.",
            "ar": "بعيد عن الوسط، على طريق سانت أومير، جنوب المدينة.",
        },
        "address": "1691 route de Saint-Omer, 62100 Calais",
        "latitude": "50.933500",
        "longitude": "1.862500",
    },
    {
        "key": "pass",
        "area": "calais",
        "name": {"en": "PASS clinic", "fr": "PASS (accès aux soins)", "ar": "عيادة PASS"},
        "directions": {
            "en": "Behind the Citadel, opposite the high school.",
            "fr": "Derrière la Citadelle, en face du lycée.",
            "ar": "خلف القلعة (Citadelle)، مقابل المدرسة الثانوية.",
        },
        "address": "Avenue Pierre de Coubertin, 62100 Calais",
        "latitude": "50.953200",
        "longitude": "1.837800",
    },
    {
        "key": "greta",
        "area": "calais",
        "name": {
            "en": "GRETA, Pierre de Coubertin high school",
            "fr": "GRETA, lycée Pierre de Coubertin",
            "ar": "GRETA، ثانوية بيير دو كوبرتان",
        },
        "directions": {
            "en": "Inside the high school, behind the Citadel.",
            "fr": "Dans le lycée, derrière la Citadelle.",
            "ar": "داخل المدرسة الثانوية، خلف القلعة.",
        },
        "address": "320 boulevard du 8 Mai, 62100 Calais",
        "latitude": "50.952700",
        "longitude": "1.839000",
    },
    {
        "key": "hospital",
        "area": "calais",
        "name": {
            "en": "Calais hospital, emergency department",
            "fr": "Hôpital de Calais, urgences",
            "ar": "مستشفى كاليه، قسم الطوارئ",
        },
        "directions": {
            "en": "Follow the signs that say « Urgences ».",
            "fr": "Suivez les panneaux « Urgences ».",
            "ar": "اتبع اللافتات المكتوب عليها « Urgences ».",
        },
        "address": "1601 boulevard des Justes, 62100 Calais",
        "latitude": "50.938000",
        "longitude": "1.889000",
    },
    {
        "key": "fta",
        "area": "calais",
        "name": {
            "en": "France Terre d'Asile office",
            "fr": "Bureau de France Terre d'Asile",
            "ar": "مكتب France Terre d'Asile",
        },
        "directions": {
            "en": "In the town centre. Ring the bell at the door.",
            "fr": "Dans le centre-ville. Sonnez à la porte.",
            "ar": "في وسط المدينة. اضغط على جرس الباب.",
        },
        "address": "67 rue des Quatre Coins, 62100 Calais",
        "latitude": "50.948700",
        "longitude": "1.857200",
    },
    {
        "key": "bmx",
        "area": "calais",
        "name": {
            "en": "Bus site by the BMX track",
            "fr": "Site du bus près de la piste de BMX",
            "ar": "موقع الحافلة قرب حلبة BMX",
        },
        "directions": {
            "en": "On the grass next to the stadium.",
            "fr": "Sur l'herbe à côté du stade.",
            "ar": "على العشب بجانب الملعب.",
        },
        "latitude": "50.946000",
        "longitude": "1.896000",
    },
    {
        "key": "dunes",
        "area": "calais",
        "name": {
            "en": "Bus site in the Dunes industrial area",
            "fr": "Site du bus, zone industrielle des Dunes",
            "ar": "موقع الحافلة في منطقة Les Dunes الصناعية",
        },
        "directions": {
            "en": "Between the warehouses, near the water tanks.",
            "fr": "Entre les entrepôts, près des cuves d'eau.",
            "ar": "بين المستودعات، قرب خزانات المياه.",
        },
        "latitude": "50.964000",
        "longitude": "1.905000",
    },
    {
        "key": "hospital_site",
        "area": "calais",
        "name": {
            "en": "Bus site near the hospital",
            "fr": "Site du bus près de l'hôpital",
            "ar": "موقع الحافلة قرب المستشفى",
        },
        "directions": {
            "en": "On the road behind the hospital, near the roundabout.",
            "fr": "Sur la route derrière l'hôpital, près du rond-point.",
            "ar": "على الطريق خلف المستشفى، قرب الدوّار.",
        },
        "latitude": "50.935500",
        "longitude": "1.893000",
    },
    {
        "key": "fort_nieulay",
        "area": "calais",
        "name": {
            "en": "Old bus site at Fort Nieulay",
            "fr": "Ancien site du bus au Fort Nieulay",
            "ar": "الموقع القديم للحافلة في فور نيولاي",
        },
        "directions": {
            "en": "The bus no longer comes here. Go to the site near the hospital.",
            "fr": "Le bus ne vient plus ici. Allez au site près de l'hôpital.",
            "ar": "لم تعد الحافلة تأتي إلى هنا. اذهب إلى الموقع القريب من المستشفى.",
        },
        "latitude": "50.947800",
        "longitude": "1.816800",
        "status": "moved",
        "moved_to": "hospital_site",
    },
    {
        "key": "water_dunes",
        "area": "calais",
        "name": {
            "en": "Water tanks, Dunes industrial area",
            "fr": "Cuves d'eau, zone des Dunes",
            "ar": "خزانات المياه، منطقة Les Dunes",
        },
        "directions": {
            "en": "At the end of the road, behind the last warehouse.",
            "fr": "Au bout de la route, derrière le dernier entrepôt.",
            "ar": "في آخر الطريق، خلف آخر مستودع.",
        },
        "latitude": "50.965000",
        "longitude": "1.903000",
    },
    {
        "key": "water_hospital",
        "area": "calais",
        "name": {
            "en": "Water point near the hospital",
            "fr": "Point d'eau près de l'hôpital",
            "ar": "نقطة مياه قرب المستشفى",
        },
        "directions": {
            "en": "By the bus site, on the same road.",
            "fr": "À côté du site du bus, sur la même route.",
            "ar": "بجانب موقع الحافلة، على نفس الطريق.",
        },
        "latitude": "50.936200",
        "longitude": "1.891500",
    },
    {
        "key": "library",
        "area": "calais",
        "name": {
            "en": "Calais public library",
            "fr": "Médiathèque de Calais",
            "ar": "مكتبة كاليه العامة",
        },
        "directions": {
            "en": "In the town centre, near the town hall.",
            "fr": "Dans le centre-ville, près de l'hôtel de ville.",
            "ar": "في وسط المدينة، قرب مبنى البلدية.",
        },
        "latitude": "50.949300",
        "longitude": "1.856100",
    },
    {
        "key": "coquelles",
        "area": "calais",
        "name": {
            "en": "Coquelles detention centre",
            "fr": "Centre de rétention de Coquelles",
            "ar": "مركز الاحتجاز في كوكيل",
        },
        "directions": {
            "en": "In Coquelles, next to the police station.",
            "fr": "À Coquelles, à côté de l'hôtel de police.",
            "ar": "في كوكيل، بجانب مركز الشرطة.",
        },
        "latitude": "50.930000",
        "longitude": "1.805000",
    },
    # Grande-Synthe
    {
        "key": "puythouck",
        "area": "grande-synthe",
        "name": {
            "en": "Puythouck lake car park",
            "fr": "Parking du lac du Puythouck",
            "ar": "موقف سيارات بحيرة بويتوك",
        },
        "directions": {
            "en": "At the edge of the woods, by the lake.",
            "fr": "Au bord du bois, près du lac.",
            "ar": "عند طرف الغابة، بجانب البحيرة.",
        },
        "latitude": "51.006000",
        "longitude": "2.288000",
    },
    {
        "key": "loon",
        "area": "grande-synthe",
        "name": {"en": "Loon-Plage site", "fr": "Site de Loon-Plage", "ar": "موقع لون بلاج"},
        "directions": {
            "en": "Near the woods, along the road to the port.",
            "fr": "Près du bois, le long de la route du port.",
            "ar": "قرب الغابة، على الطريق المؤدي إلى الميناء.",
        },
        "latitude": "51.001000",
        "longitude": "2.233000",
    },
    {
        "key": "gs_water",
        "area": "grande-synthe",
        "name": {
            "en": "Water taps near Puythouck",
            "fr": "Robinets d'eau près du Puythouck",
            "ar": "صنابير المياه قرب بويتوك",
        },
        "directions": {
            "en": "At the entrance of the car park.",
            "fr": "À l'entrée du parking.",
            "ar": "عند مدخل موقف السيارات.",
        },
        "latitude": "51.005200",
        "longitude": "2.290500",
    },
    {
        "key": "gs_shelter",
        "area": "grande-synthe",
        "name": {
            "en": "Cold-night shelter, Grande-Synthe",
            "fr": "Abri grand froid, Grande-Synthe",
            "ar": "مأوى الليالي الباردة، غراند سانت",
        },
        "directions": {
            "en": "The place can change: ask at the meal or call the emergency line.",
            "fr": "Le lieu peut changer : demandez au repas ou appelez la ligne d'urgence.",
            "ar": "قد يتغير المكان: اسأل في وجبة الطعام أو اتصل بخط الطوارئ.",
        },
        "latitude": "51.015000",
        "longitude": "2.300000",
    },
    {
        "key": "dunkirk_hospital",
        "area": "grande-synthe",
        "name": {
            "en": "Dunkirk hospital, emergency department",
            "fr": "Hôpital de Dunkerque, urgences",
            "ar": "مستشفى دنكيرك، قسم الطوارئ",
        },
        "directions": {
            "en": "Follow the signs that say « Urgences ».",
            "fr": "Suivez les panneaux « Urgences ».",
            "ar": "اتبع اللافتات المكتوب عليها « Urgences ».",
        },
        "address": "Avenue Louis Herbeaux, 59240 Dunkerque",
        "latitude": "51.035500",
        "longitude": "2.359000",
    },
    {
        "key": "bailleul",
        "area": "grande-synthe",
        "name": {
            "en": "Flandres Terre Solidaire house, Bailleul",
            "fr": "Maison de Flandres Terre Solidaire, Bailleul",
            "ar": "بيت Flandres Terre Solidaire، بايول",
        },
        "directions": {
            "en": "In Bailleul, near Lille: about 45 minutes by car from Grande-Synthe.",
            "fr": "À Bailleul, près de Lille : environ 45 minutes en voiture de Grande-Synthe.",
            "ar": "في بايول قرب ليل: نحو 45 دقيقة بالسيارة من غراند سانت.",
        },
        "latitude": "50.739000",
        "longitude": "2.735500",
    },
]

# --- Texts shared by services in both areas ------------------------------------------------
HOSPITAL_EMERGENCY_TITLE = {
    "en": "Hospital emergency department",
    "fr": "Urgences de l'hôpital",
    "ar": "قسم الطوارئ في المستشفى",
    "fa": "اورژانس بیمارستان",
    "ps": "د روغتون بیړنۍ څانګه",
    "ur": "ہسپتال کی ایمرجنسی",
    "ckb": "بەشی فریاکەوتنی نەخۆشخانە",
    "am": "የሆስፒታል ድንገተኛ ክፍል",
    "ti": "ክፍሊ ህጹጽ ረድኤት ሆስፒታል",
    "om": "Kutaa balaa tasaa hospitaalaa",
    "vi": "Phòng cấp cứu bệnh viện",
}
HOSPITAL_EMERGENCY_DESCRIPTION = {
    "en": "Open day and night, every day, for anyone with an urgent health problem. You will "
    "be seen even without papers.",
    "fr": "Ouvert jour et nuit, tous les jours, pour toute personne avec un problème de santé "
    "urgent. Vous serez reçu même sans papiers.",
    "ar": "مفتوح ليلاً ونهاراً، كل يوم، لكل من لديه مشكلة صحية عاجلة. سيستقبلونك حتى بدون أوراق.",
}
AMBULANCE_NOTE = {
    "en": "For an ambulance, call 15 (or 112 from any phone).",
    "fr": "Pour une ambulance, appelez le 15 (ou le 112 depuis n'importe quel téléphone).",
    "ar": "لطلب سيارة إسعاف اتصل بالرقم 15 (أو 112 من أي هاتف).",
}
BUS_CHARGING_TITLE = {
    "en": "Phone charging and wifi at the bus",
    "fr": "Recharge de téléphone et wifi au bus",
    "ar": "شحن الهاتف والواي فاي عند الحافلة",
    "fa": "شارژ گوشی و وای‌فای در اتوبوس",
    "ps": "په بس کې د ټیلیفون چارج او وای فای",
    "ur": "بس پر فون چارجنگ اور وائی فائی",
    "ckb": "بارگاویکردنی مۆبایل و وای‌فای لە پاسەکە",
    "am": "በአውቶቡሱ የስልክ ቻርጅና ዋይፋይ",
    "ti": "ኣብ ኣውቶቡስ ቻርጅ ተሌፎንን ዋይፋይን",
    "om": "Chaarjii bilbilaa fi Wi-Fi awtobisii irratti",
    "vi": "Sạc điện thoại và wifi tại xe buýt",
}
BUS_CHARGING_DESCRIPTION = {
    "en": "The bus brings power, wifi for about 100 phones, tables and benches. Each session "
    "lasts 2½ hours. Bring your cable if you have one.",
    "fr": "Le bus apporte de l'électricité, du wifi pour environ 100 téléphones, des tables et "
    "des bancs. Chaque session dure 2 h 30. Apportez votre câble si vous en avez un.",
    "ar": "تجلب الحافلة الكهرباء، وواي فاي لنحو 100 هاتف، وطاولات ومقاعد. تستمر كل جلسة "
    "ساعتين ونصف. أحضر الكابل إن كان لديك.",
}
WINTER_ONLY = {"season": "winter"}

# --- Services ------------------------------------------------------------------------------
# "verified_days_ago" sets last_verified; more than 60 days means it needs checking.
# Exceptions name a weekday and how many weeks after the next one, so they stay ahead.
SERVICES = [
    # --- Calais: food and water ---
    {
        "area": "calais",
        "organisation": "Salam",
        "categories": ["food"],
        "places": ["lamy"],
        "title": {
            "en": "Hot evening meal, every day",
            "fr": "Repas chaud du soir, tous les jours",
            "ar": "وجبة عشاء ساخنة، كل يوم",
            "fa": "غذای گرم شب، هر روز",
            "ps": "د ماښام ګرمه ډوډۍ، هره ورځ",
            "ur": "شام کا گرم کھانا، ہر روز",
            "ckb": "نانی گەرمی ئێواران، هەموو ڕۆژێک",
            "am": "ትኩስ የእራት ምግብ፣ በየቀኑ",
            "ti": "ውዑይ ናይ ምሸት መግቢ፡ መዓልታዊ",
            "om": "Nyaata galgalaa ho'aa, guyyaa guyyaan",
            "vi": "Bữa tối nóng, mỗi ngày",
        },
        "description": {
            "en": "A hot meal for everyone at 18:00. Sometimes blankets, clothes or shoes are "
            "given out after the meal.",
            "fr": "Un repas chaud pour tout le monde à 18 h. Parfois, des couvertures, des "
            "vêtements ou des chaussures sont donnés après le repas.",
            "ar": "وجبة ساخنة للجميع في الساعة 18:00. أحياناً توزَّع بطانيات أو ملابس أو أحذية "
            "بعد الوجبة.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en", "ar"],
        "verified_days_ago": 10,
        "hours": weekly(EVERY_DAY, "18:00", "19:30", "lamy"),
        "exceptions": [
            {
                "weekday": SUN,
                "weeks_ahead": 1,
                "kind": "cancelled",
                "reason": {
                    "en": "No meal that evening: the team is at a training day.",
                    "fr": "Pas de repas ce soir-là : l'équipe est en formation.",
                    "ar": "لا توجد وجبة في ذلك المساء: الفريق في يوم تدريب.",
                },
            }
        ],
    },
    {
        "area": "calais",
        "organisation": "La Belle Étoile",
        "categories": ["food"],
        "places": ["lamy"],
        "title": {
            "en": "Midday meal, Monday to Friday",
            "fr": "Repas de midi, du lundi au vendredi",
            "ar": "وجبة الغداء، من الاثنين إلى الجمعة",
        },
        "description": {
            "en": "A free hot meal at 13:00 on weekdays.",
            "fr": "Un repas chaud gratuit à 13 h en semaine.",
            "ar": "وجبة ساخنة مجانية في الساعة 13:00 أيام الأسبوع.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 20,
        "hours": weekly(WEEKDAYS, "13:00", "14:00", "lamy"),
    },
    {
        "area": "calais",
        "organisation": "L'Auberge des Migrants",
        "categories": ["food", "emergencies"],
        "places": ["lamy"],
        "title": {
            "en": "Midday meal, Saturday and Sunday",
            "fr": "Repas de midi, samedi et dimanche",
            "ar": "وجبة الغداء، السبت والأحد",
        },
        "description": {
            "en": "A free hot meal at 13:00 at the weekend. The team can also help in an "
            "emergency.",
            "fr": "Un repas chaud gratuit à 13 h le week-end. L'équipe peut aussi aider en cas "
            "d'urgence.",
            "ar": "وجبة ساخنة مجانية في الساعة 13:00 في عطلة نهاية الأسبوع. يمكن للفريق أيضاً "
            "المساعدة في حالة طارئة.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en", "ar"],
        "verified_days_ago": 20,
        "hours": weekly((SAT, SUN), "13:00", "14:00", "lamy"),
    },
    {
        "area": "calais",
        "organisation": "Salam",
        "categories": ["food"],
        "places": ["lamy"],
        "title": {
            "en": "Breakfast (some days)",
            "fr": "Petit-déjeuner (certains jours)",
            "ar": "فطور (في بعض الأيام)",
        },
        "description": {
            "en": "On some days breakfast is served at 10:00. Ask at the evening meal which days.",
            "fr": "Certains jours, un petit-déjeuner est servi à 10 h. Demandez au repas du soir "
            "quels jours.",
            "ar": "في بعض الأيام يقدَّم الفطور في الساعة 10:00. اسأل في وجبة العشاء عن الأيام.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "ar"],
        "verified_days_ago": 95,
        "hours": weekly((TUE, THU), "10:00", "11:00", "lamy"),
    },
    {
        "area": "calais",
        "organisation": "Calais Food Collective",
        "categories": ["water"],
        "places": ["water_hospital"],
        "title": {
            "en": "Drinking water near the hospital",
            "fr": "Eau potable près de l'hôpital",
            "ar": "مياه الشرب قرب المستشفى",
            "fa": "آب آشامیدنی نزدیک بیمارستان",
            "ti": "ማይ መስተ ኣብ ጥቓ ሆስፒታል",
            "vi": "Nước uống gần bệnh viện",
        },
        "description": {
            "en": "Volunteers bring water and fill the tanks every morning. Bring bottles if "
            "you can.",
            "fr": "Des bénévoles apportent de l'eau et remplissent les cuves chaque matin. "
            "Apportez des bouteilles si vous pouvez.",
            "ar": "يجلب المتطوعون الماء ويملؤون الخزانات كل صباح. أحضر زجاجات إن استطعت.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr"],
        "verified_days_ago": 30,
        "hours": weekly(EVERY_DAY, "09:00", "11:00", "water_hospital"),
    },
    {
        "area": "calais",
        "organisation": "Calais Food Collective",
        "categories": ["water"],
        "places": ["water_dunes"],
        "title": {
            "en": "Drinking water, Dunes industrial area",
            "fr": "Eau potable, zone des Dunes",
            "ar": "مياه الشرب، منطقة Les Dunes الصناعية",
        },
        "description": {
            "en": "The tanks are filled on weekday afternoons. They are sometimes blocked or "
            "taken away: tell the bus team if so.",
            "fr": "Les cuves sont remplies en semaine l'après-midi. Elles sont parfois bloquées "
            "ou enlevées : prévenez l'équipe du bus.",
            "ar": "تُملأ الخزانات بعد الظهر أيام الأسبوع. أحياناً يُسدّ الطريق إليها أو تُزال: "
            "أخبر فريق الحافلة إن حدث ذلك.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr"],
        "verified_days_ago": 70,
        "hours": weekly(WEEKDAYS, "15:00", "17:00", "water_dunes"),
    },
    # --- Calais: clothes, showers, day centre ---
    {
        "area": "calais",
        "organisation": "Le Vestiaire",
        "categories": ["clothes"],
        "places": ["croy"],
        "title": {
            "en": "Clothes and shoes, every other Saturday",
            "fr": "Vêtements et chaussures, un samedi sur deux",
            "ar": "ملابس وأحذية، يوم السبت كل أسبوعين",
        },
        "description": {
            "en": "Free clothes and shoes in the clothes room near Notre-Dame church, every "
            "other Saturday morning.",
            "fr": "Vêtements et chaussures gratuits au vestiaire près de l'église Notre-Dame, "
            "un samedi matin sur deux.",
            "ar": "ملابس وأحذية مجانية في غرفة الملابس قرب كنيسة نوتردام، صباح السبت مرة كل "
            "أسبوعين.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 40,
        "hours": weekly(
            (SAT,),
            "10:00",
            "12:00",
            "croy",
            recurrence="every_n_weeks",
            interval_weeks=2,
            anchor_date=CLOTHES_ANCHOR_SATURDAY,
        ),
    },
    {
        "area": "calais",
        "organisation": "Secours Catholique",
        "categories": ["showers-hygiene"],
        "places": ["lamy", "day_centre"],
        "title": {
            "en": "Showers (lift from rue Lamy)",
            "fr": "Douches (voiture depuis la rue Lamy)",
            "ar": "استحمام (سيارة من شارع لامي)",
        },
        "description": {
            "en": "The showers are far from the centre. The Secours Catholique team drives you "
            "there and back. Meet in front of the rue Lamy meal point.",
            "fr": "Les douches sont loin du centre. L'équipe du Secours Catholique vous y "
            "emmène en voiture et vous ramène. Rendez-vous devant le point repas de la rue Lamy.",
            "ar": "أماكن الاستحمام بعيدة عن الوسط. يأخذك فريق Secours Catholique بالسيارة "
            "ويعيدك. نقطة اللقاء أمام نقطة الوجبات في شارع لامي.",
        },
        "contact_note": {
            "en": "There are few seats in the car: come early.",
            "fr": "Il y a peu de places dans la voiture : venez tôt.",
            "ar": "المقاعد في السيارة قليلة: تعال باكراً.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 15,
        # The slot's place is where the car picks people up.
        "hours": weekly((MON, WED, FRI), "09:30", "12:00", "lamy"),
    },
    {
        "area": "calais",
        "organisation": "Secours Catholique",
        "categories": ["shelter"],
        "places": ["day_centre"],
        "title": {"en": "Day centre", "fr": "Accueil de jour", "ar": "مركز استقبال نهاري"},
        "description": {
            "en": "A warm place to rest during the day. Help with papers and asylum forms. "
            "French lessons are held here too.",
            "fr": "Un endroit chaud pour se reposer dans la journée. Aide pour les papiers et "
            "les démarches d'asile. Des cours de français ont lieu ici aussi.",
            "ar": "مكان دافئ للراحة خلال النهار. مساعدة في الأوراق وطلبات اللجوء. وتُقدَّم "
            "هنا أيضاً دروس في اللغة الفرنسية.",
        },
        "eligibility": {
            "en": "Vulnerable people",
            "fr": "Personnes vulnérables",
            "ar": "الأشخاص المستضعفون",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en", "ar"],
        "verified_days_ago": 25,
        "hours": weekly(WEEKDAYS, "09:00", "17:00", "day_centre", closed_on_public_holidays="yes"),
        "exceptions": [
            {
                "weekday": FRI,
                "weeks_ahead": 0,
                "kind": "other_hours",
                "opens": "09:00",
                "closes": "12:00",
                "reason": {
                    "en": "Closes at noon: team meeting in the afternoon.",
                    "fr": "Ferme à midi : réunion d'équipe l'après-midi.",
                    "ar": "يغلق عند الظهر: اجتماع للفريق بعد الظهر.",
                },
            }
        ],
    },
    # --- Calais: health ---
    {
        "area": "calais",
        "organisation": "Calais hospital",
        "categories": ["health"],
        "places": ["pass"],
        "title": {
            "en": "Free health clinic (PASS)",
            "fr": "Consultation médicale gratuite (PASS)",
            "ar": "عيادة صحية مجانية (PASS)",
            "fa": "درمانگاه رایگان (PASS)",
            "ps": "وړیا کلینیک (PASS)",
            "ur": "مفت کلینک (PASS)",
            "ckb": "کلینیکی بەخۆڕایی (PASS)",
            "am": "ነፃ የጤና ክሊኒክ (PASS)",
            "ti": "ብነጻ ክሊኒክ ጥዕና (PASS)",
            "om": "Kilinika fayyaa kaffaltii malee (PASS)",
            "vi": "Phòng khám miễn phí (PASS)",
        },
        "description": {
            "en": "For people who are ill or hurt and have no health insurance. The staff see "
            "you and, if needed, send you to the right hospital department.",
            "fr": "Pour les personnes malades ou blessées qui n'ont pas d'assurance maladie. "
            "L'équipe vous reçoit et, si besoin, vous oriente vers le bon service de l'hôpital.",
            "ar": "للأشخاص المرضى أو المصابين الذين ليس لديهم تأمين صحي. يستقبلك الفريق "
            "ويوجّهك عند الحاجة إلى القسم المناسب في المستشفى.",
        },
        "eligibility": {
            "en": "People without health insurance",
            "fr": "Personnes sans assurance maladie",
            "ar": "الأشخاص الذين ليس لديهم تأمين صحي",
            "fa": "افرادی که بیمه درمانی ندارند",
            "ti": "ሰባት መድሕን ጥዕና ዘይብሎም",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 12,
        "hours": weekly(WEEKDAYS, "14:00", "18:00", "pass", closed_on_public_holidays="yes"),
        "exceptions": [
            {
                "weekday": WED,
                "weeks_ahead": 0,
                "kind": "other_hours",
                "opens": "14:00",
                "closes": "16:00",
                "reason": {
                    "en": "Closes early: staff training.",
                    "fr": "Ferme plus tôt : formation du personnel.",
                    "ar": "يغلق باكراً: تدريب للموظفين.",
                },
            }
        ],
    },
    {
        "area": "calais",
        "organisation": "Calais hospital",
        "categories": ["health", "emergencies"],
        "places": ["hospital"],
        "title": HOSPITAL_EMERGENCY_TITLE,
        "description": HOSPITAL_EMERGENCY_DESCRIPTION,
        "contact_note": AMBULANCE_NOTE,
        "access": "unconditional",
        # Emergency care is given first; whether a bill follows depends on the person's cover.
        "cost": "unknown",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 5,
        "hours": day_and_night("hospital"),
    },
    # --- Calais: French lessons ---
    {
        "area": "calais",
        "organisation": "GRETA",
        "categories": ["french-lessons"],
        "places": ["greta"],
        "title": {
            "en": "French lessons at GRETA",
            "fr": "Cours de français au GRETA",
            "ar": "دروس اللغة الفرنسية في GRETA",
        },
        "description": {
            "en": "Tuesday: beginners. Monday and Wednesday mornings: advanced learners.",
            "fr": "Mardi : débutants. Lundi et mercredi matin : niveau avancé.",
            "ar": "الثلاثاء: للمبتدئين. صباح الاثنين والأربعاء: للمستوى المتقدم.",
        },
        "eligibility": {
            "en": "Refugees and asylum seekers",
            "fr": "Réfugiés et demandeurs d'asile",
            "ar": "اللاجئون وطالبو اللجوء",
        },
        "contact_note": {
            "en": "Sign up first at the GRETA front desk.",
            "fr": "Inscrivez-vous d'abord à l'accueil du GRETA.",
            "ar": "سجّل أولاً في مكتب الاستقبال في GRETA.",
        },
        "access": "appointment",
        "cost": "free",
        "languages_spoken": ["fr"],
        "verified_days_ago": 110,
        "hours": [
            *weekly((TUE,), "13:30", "16:30", "greta", closed_on_public_holidays="yes"),
            *weekly((MON, WED), "09:00", "12:00", "greta", closed_on_public_holidays="yes"),
        ],
    },
    {
        "area": "calais",
        "organisation": "Secours Catholique",
        "categories": ["french-lessons"],
        "places": ["day_centre"],
        # No Arabic on purpose: readers see the English text as the fallback.
        "title": {
            "en": "French lessons at the day centre",
            "fr": "Cours de français à l'accueil de jour",
        },
        "description": {
            "en": "Small groups, all levels. Come a few minutes early.",
            "fr": "Petits groupes, tous niveaux. Venez quelques minutes avant.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 25,
        "hours": weekly(
            (MON, THU), "14:00", "16:00", "day_centre", closed_on_public_holidays="yes"
        ),
    },
    # --- Calais: legal help and asylum ---
    {
        "area": "calais",
        "organisation": "France Terre d'Asile",
        "categories": ["legal-asylum", "women-children"],
        "places": ["fta"],
        "title": {
            "en": "Asylum advice and help for minors",
            "fr": "Conseils sur l'asile et aide aux mineurs",
            "ar": "نصائح حول اللجوء ومساعدة للقاصرين",
        },
        "description": {
            "en": "Information on asylum law and help to make a claim. They also follow young "
            "people under 18 and can explain the protection France gives them.",
            "fr": "Informations sur le droit d'asile et aide pour faire une demande. "
            "L'association suit aussi les jeunes de moins de 18 ans et peut leur expliquer la "
            "protection que la France leur doit.",
            "ar": "معلومات عن قانون اللجوء ومساعدة في تقديم الطلب. تتابع الجمعية أيضاً الشباب "
            "دون 18 سنة ويمكنها أن تشرح لهم الحماية التي تقدمها فرنسا.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en", "ar"],
        "verified_days_ago": 35,
        "hours": weekly(WEEKDAYS, "09:00", "12:00", "fta", closed_on_public_holidays="yes"),
    },
    {
        "area": "calais",
        "organisation": "Secours Catholique",
        "categories": ["legal-asylum"],
        "places": ["day_centre"],
        "title": {
            "en": "Help with asylum and papers",
            "fr": "Aide pour l'asile et les papiers",
            "ar": "مساعدة في اللجوء والأوراق",
        },
        "description": {
            "en": "Volunteers explain the asylum steps and can go with you to the "
            "sous-préfecture. Bring all the papers you have.",
            "fr": "Des bénévoles expliquent les étapes de l'asile et peuvent vous accompagner à "
            "la sous-préfecture. Apportez tous vos papiers.",
            "ar": "يشرح المتطوعون خطوات اللجوء ويمكنهم مرافقتك إلى مكتب المحافظة الفرعي "
            "(sous-préfecture). أحضر كل أوراقك.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 25,
        "hours": weekly(
            (TUE, THU), "09:30", "12:00", "day_centre", closed_on_public_holidays="yes"
        ),
    },
    {
        "area": "calais",
        "organisation": "France Terre d'Asile",
        "categories": ["legal-asylum"],
        "places": ["coquelles"],
        "title": {
            "en": "Help inside the Coquelles detention centre",
            "fr": "Aide au centre de rétention de Coquelles",
            "ar": "مساعدة داخل مركز الاحتجاز في كوكيل",
        },
        "description": {
            "en": "If you are locked in the detention centre, ask at once to see France Terre "
            "d'Asile. Some appeals must be made within 48 hours.",
            "fr": "Si vous êtes enfermé au centre de rétention, demandez tout de suite à voir "
            "France Terre d'Asile. Certains recours doivent être faits dans les 48 heures.",
            "ar": "إذا كنت محتجزاً في مركز الاحتجاز، اطلب فوراً مقابلة France Terre d'Asile. "
            "بعض الطعون يجب تقديمها خلال 48 ساعة.",
        },
        "eligibility": {
            "en": "People held in the detention centre",
            "fr": "Personnes retenues au centre de rétention",
            "ar": "الأشخاص المحتجزون في المركز",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 75,
        "hours": weekly(WEEKDAYS, "09:00", "17:00", "coquelles"),
    },
    {
        "area": "calais",
        "organisation": "Police abuse witness line",
        "categories": ["legal-asylum", "emergencies"],
        "places": [],
        "title": {
            "en": "Report police violence",
            "fr": "Signaler des violences policières",
            "ar": "الإبلاغ عن عنف الشرطة",
        },
        "description": {
            "en": "If the police hurt you, or you see police abuse, call this number. If nobody "
            "answers, leave a message.",
            "fr": "Si la police vous fait du mal, ou si vous voyez des abus de la police, "
            "appelez ce numéro. Si personne ne répond, laissez un message.",
            "ar": "إذا آذتك الشرطة أو رأيت تجاوزات منها، اتصل بهذا الرقم. إذا لم يرد أحد، "
            "اترك رسالة.",
        },
        "contact_note": {
            "en": "You can call as a victim or as a witness.",
            "fr": "Vous pouvez appeler comme victime ou comme témoin.",
            "ar": "يمكنك الاتصال كضحية أو كشاهد.",
        },
        "phone": "07 87 27 01 86",
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 65,
        # A phone line with no opening hours: call any time.
        "hours": [],
    },
    # --- Calais: the bus ---
    {
        "area": "calais",
        "organisation": "Refugee Info Bus",
        "categories": ["charging-wifi"],
        "places": ["bmx", "dunes", "hospital_site"],
        "title": BUS_CHARGING_TITLE,
        "description": BUS_CHARGING_DESCRIPTION,
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar", "fa", "ti"],
        "verified_days_ago": 3,
        # Sunday to Thursday, a morning and an afternoon session, moving between three sites.
        "hours": [
            *weekly((SUN, WED), "10:00", "12:30", "hospital_site"),
            *weekly((MON, THU), "10:00", "12:30", "dunes"),
            *weekly((TUE,), "10:00", "12:30", "bmx"),
            *weekly((SUN, WED), "14:00", "16:30", "bmx"),
            *weekly((MON, THU), "14:00", "16:30", "hospital_site"),
            *weekly((TUE,), "14:00", "16:30", "dunes"),
        ],
        "exceptions": [
            {
                "weekday": MON,
                "weeks_ahead": 1,
                "kind": "other_place",
                "place": "hospital_site",
                "reason": {
                    "en": "Both sessions near the hospital that day: the Dunes road is closed.",
                    "fr": "Les deux sessions près de l'hôpital ce jour-là : la route des Dunes "
                    "est fermée.",
                    "ar": "الجلستان قرب المستشفى في ذلك اليوم: طريق Les Dunes مغلق.",
                },
            }
        ],
    },
    {
        "area": "calais",
        "organisation": "Refugee Info Bus",
        "categories": ["women-children", "charging-wifi"],
        "places": ["bmx", "dunes", "hospital_site"],
        "title": {
            "en": "Women's space in the van",
            "fr": "Espace femmes dans le camion",
            "ar": "مساحة للنساء داخل الشاحنة",
            "am": "በመኪናው ውስጥ የሴቶች ቦታ",
            "ti": "ቦታ ደቂ ኣንስትዮ ኣብ ውሽጢ መኪና",
            "om": "Bakka dubartootaa konkolaataa keessatti",
        },
        "description": {
            "en": "During the morning sessions, the back of the van is for women and their "
            "young children only. Women volunteers are there.",
            "fr": "Pendant les sessions du matin, l'arrière du camion est réservé aux femmes et "
            "à leurs jeunes enfants. Des bénévoles femmes sont présentes.",
            "ar": "أثناء الجلسات الصباحية، الجزء الخلفي من الشاحنة مخصص للنساء وأطفالهن الصغار "
            "فقط. توجد متطوعات.",
        },
        "eligibility": {
            "en": "Women and their young children",
            "fr": "Femmes et leurs jeunes enfants",
            "ar": "النساء وأطفالهن الصغار",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar", "ti"],
        "verified_days_ago": 3,
        "hours": [
            *weekly((SUN, WED), "10:00", "12:30", "hospital_site"),
            *weekly((MON, THU), "10:00", "12:30", "dunes"),
            *weekly((TUE,), "10:00", "12:30", "bmx"),
        ],
    },
    {
        "area": "calais",
        "organisation": "Refugee Info Bus",
        "categories": ["charging-wifi"],
        "places": ["bmx"],
        "title": {
            "en": "Phone repair and new batteries",
            "fr": "Réparation de téléphones et batteries neuves",
            "ar": "تصليح الهواتف وبطاريات جديدة",
        },
        "description": {
            "en": "Bring a broken phone on the first Tuesday of the month. The team takes it to "
            "a repair shop in Calais, so you keep your photos and contacts. You can also order "
            "a new battery.",
            "fr": "Apportez un téléphone cassé le premier mardi du mois. L'équipe le porte chez "
            "un réparateur à Calais : vous gardez vos photos et vos contacts. Vous pouvez aussi "
            "commander une batterie neuve.",
            "ar": "أحضر هاتفك المعطّل في أول يوم ثلاثاء من الشهر. يأخذه الفريق إلى محل تصليح "
            "في كاليه، فتحتفظ بصورك وأرقامك. ويمكنك أيضاً طلب بطارية جديدة.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar"],
        "verified_days_ago": 8,
        "hours": weekly((TUE,), "10:00", "12:30", "bmx", recurrence="monthly_nth", nth=1),
    },
    {
        "area": "calais",
        "organisation": "Refugee Info Bus",
        "categories": ["charging-wifi"],
        "places": ["bmx"],
        "title": {
            "en": "SIM cards with free data",
            "fr": "Cartes SIM avec données gratuites",
            "ar": "شرائح SIM مع إنترنت مجاني",
        },
        "description": {
            "en": "Lyca or Three SIM cards with 140 MB to 1 GB of free data. Ask the team which "
            "one lets you call your country.",
            "fr": "Cartes SIM Lyca ou Three avec 140 Mo à 1 Go de données gratuites. Demandez à "
            "l'équipe laquelle permet d'appeler votre pays.",
            "ar": "شرائح Lyca أو Three مع 140 ميغابايت إلى 1 غيغابايت من الإنترنت المجاني. اسأل "
            "الفريق أي شريحة تسمح لك بالاتصال ببلدك.",
        },
        "contact_note": {
            "en": "While stocks last.",
            "fr": "Dans la limite des stocks.",
            "ar": "حتى نفاد الكمية.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar"],
        "verified_days_ago": 8,
        "hours": weekly((SUN, WED), "14:00", "16:30", "bmx"),
    },
    {
        "area": "calais",
        "organisation": "Calais public library",
        "categories": ["charging-wifi"],
        "places": ["library"],
        # No Arabic on purpose: readers see the English text as the fallback.
        "title": {"en": "Internet at the public library", "fr": "Internet à la médiathèque"},
        "description": {
            "en": "Computers with internet at the town library.",
            "fr": "Ordinateurs avec internet à la médiathèque de la ville.",
        },
        "fees": {"en": "1 euro per hour", "fr": "1 euro de l'heure"},
        "access": "unconditional",
        "cost": "paid",
        "languages_spoken": ["fr"],
        "verified_days_ago": 120,
        "hours": weekly(
            (TUE, WED, THU, FRI, SAT), "10:00", "18:00", "library", closed_on_public_holidays="yes"
        ),
    },
    # --- Calais: shelter ---
    {
        "area": "calais",
        "organisation": "State cold-weather plan",
        "categories": ["shelter", "emergencies"],
        "places": [],
        "title": {
            "en": "Cold-weather night shelter (gymnasium)",
            "fr": "Gymnase du plan grand froid",
            "ar": "ملجأ ليلي في البرد الشديد (صالة رياضية)",
        },
        "description": {
            "en": "A gymnasium opens at night when it freezes all day. The law says everyone "
            "must be let in, with or without papers.",
            "fr": "Un gymnase ouvre la nuit quand il gèle toute la journée. La loi dit que tout "
            "le monde doit être accueilli, avec ou sans papiers.",
            "ar": "تُفتح صالة رياضية ليلاً عندما تبقى الحرارة تحت الصفر طوال اليوم. القانون "
            "يقول إن الجميع يجب أن يُستقبلوا، بأوراق أو بدونها.",
        },
        "status": "temporarily_closed",
        "status_note": {
            "en": "Closed now. It opens only when it stays below 0 °C all day. An alert will "
            "say when it opens, and where.",
            "fr": "Fermé pour l'instant. Il ouvre seulement quand il fait moins de 0 °C toute "
            "la journée. Une alerte dira quand il ouvre, et où.",
            "ar": "مغلق الآن. يُفتح فقط عندما تبقى الحرارة تحت 0 درجة طوال اليوم. سينشر "
            "تنبيه عند فتحه ويذكر مكانه.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr"],
        "verified_days_ago": 45,
        "hours": weekly(EVERY_DAY, "19:00", "08:00"),
    },
    # --- Grande-Synthe ---
    {
        "area": "grande-synthe",
        "organisation": "Refugee Community Kitchen",
        "categories": ["food"],
        "places": ["puythouck"],
        "title": {
            "en": "Hot lunch, every day",
            "fr": "Repas chaud du midi, tous les jours",
            "ar": "وجبة غداء ساخنة، كل يوم",
        },
        "description": {
            "en": "Hot food cooked in the Calais warehouse and served at the Puythouck car park.",
            "fr": "Des plats chauds cuisinés dans l'entrepôt de Calais et servis au parking du "
            "Puythouck.",
            "ar": "طعام ساخن يُطبخ في مستودع كاليه ويُقدَّم في موقف سيارات بويتوك.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar", "ckb"],
        "verified_days_ago": 14,
        "hours": weekly(EVERY_DAY, "12:00", "14:00", "puythouck"),
    },
    {
        "area": "grande-synthe",
        "organisation": "Salam",
        "categories": ["food"],
        "places": ["loon"],
        "title": {
            "en": "Hot evening meal, Loon-Plage",
            "fr": "Repas chaud du soir, Loon-Plage",
            "ar": "وجبة عشاء ساخنة، لون بلاج",
        },
        "description": {
            "en": "A hot meal four evenings a week at the Loon-Plage site.",
            "fr": "Un repas chaud quatre soirs par semaine sur le site de Loon-Plage.",
            "ar": "وجبة ساخنة أربع أمسيات في الأسبوع في موقع لون بلاج.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "ar"],
        "verified_days_ago": 40,
        "hours": weekly((MON, WED, FRI, SUN), "18:00", "19:30", "loon"),
    },
    {
        "area": "grande-synthe",
        "organisation": "Grande-Synthe town council",
        "categories": ["water"],
        "places": ["gs_water"],
        "title": {
            "en": "Drinking water taps, Puythouck",
            "fr": "Robinets d'eau potable, Puythouck",
            "ar": "صنابير مياه الشرب، بويتوك",
        },
        "description": {
            "en": "Taps with drinking water, day and night. They are sometimes cut off during "
            "evictions.",
            "fr": "Des robinets d'eau potable, jour et nuit. Ils sont parfois coupés pendant "
            "les expulsions.",
            "ar": "صنابير مياه صالحة للشرب، ليلاً ونهاراً. تُقطع أحياناً أثناء عمليات الإخلاء.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": [],
        "verified_days_ago": 70,
        "hours": day_and_night("gs_water"),
    },
    {
        "area": "grande-synthe",
        "organisation": "Secours Catholique",
        "categories": ["showers-hygiene"],
        "places": ["puythouck"],
        "title": {
            "en": "Hot showers, Grande-Synthe",
            "fr": "Douches chaudes, Grande-Synthe",
            "ar": "استحمام بماء ساخن، غراند سانت",
        },
        "description": {
            "en": "A shower truck comes to the Puythouck car park. Towels and soap are given. "
            "Write your name on the list when you arrive.",
            "fr": "Un camion de douches vient au parking du Puythouck. Serviettes et savon sont "
            "fournis. Inscrivez votre nom sur la liste en arrivant.",
            "ar": "تأتي شاحنة استحمام إلى موقف سيارات بويتوك. تُعطى مناشف وصابون. اكتب اسمك "
            "في القائمة عند وصولك.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 21,
        "hours": weekly((TUE, THU, SAT), "10:00", "13:00", "puythouck"),
    },
    {
        "area": "grande-synthe",
        "organisation": "Refugee Info Bus",
        "categories": ["charging-wifi"],
        "places": ["loon", "puythouck"],
        "title": BUS_CHARGING_TITLE,
        "description": BUS_CHARGING_DESCRIPTION,
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar", "ckb"],
        "verified_days_ago": 3,
        "hours": [
            *weekly((FRI,), "11:00", "13:30", "loon"),
            *weekly((SAT,), "11:00", "13:30", "puythouck"),
        ],
    },
    {
        "area": "grande-synthe",
        "organisation": "Utopia 56",
        "categories": ["emergencies", "shelter"],
        # Mobile: the team comes to where the caller is.
        "places": [],
        "title": {
            "en": "Emergency phone line (Utopia 56)",
            "fr": "Ligne d'urgence (Utopia 56)",
            "ar": "خط الطوارئ (Utopia 56)",
        },
        "description": {
            "en": "Call if you are in danger, hurt, have nowhere to sleep, or are a child on "
            "your own. A team can come to you.",
            "fr": "Appelez si vous êtes en danger, blessé, sans endroit où dormir, ou si vous "
            "êtes un enfant seul. Une équipe peut venir vous voir.",
            "ar": "اتصل إذا كنت في خطر، أو مصاباً، أو بلا مكان للنوم، أو طفلاً وحيداً. يمكن "
            "لفريق أن يأتي إليك.",
        },
        "contact_note": {
            "en": "The number is on Utopia 56 leaflets and on the bus information board.",
            "fr": "Le numéro est sur les tracts d'Utopia 56 et sur le panneau d'information du "
            "bus.",
            "ar": "الرقم موجود على منشورات Utopia 56 وعلى لوحة المعلومات في الحافلة.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en", "ar"],
        "verified_days_ago": 30,
        "hours": day_and_night(),
    },
    {
        "area": "grande-synthe",
        "organisation": "Refugee Women's Centre",
        "categories": ["women-children", "showers-hygiene"],
        "places": ["loon"],
        "title": {
            "en": "Women and children's space",
            "fr": "Espace femmes et enfants",
            "ar": "مساحة للنساء والأطفال",
            "fa": "فضای زنان و کودکان",
            "ps": "د ښځو او ماشومانو ځای",
            "ur": "خواتین اور بچوں کی جگہ",
            "ckb": "شوێنی ئافرەتان و منداڵان",
            "am": "የሴቶችና የሕፃናት ቦታ",
            "ti": "ቦታ ደቂ ኣንስትዮን ህጻናትን",
            "om": "Bakka dubartootaa fi daa'immanii",
            "vi": "Không gian cho phụ nữ và trẻ em",
        },
        "description": {
            "en": "Hygiene products, baby items, clothes and a quiet place to talk. Only women "
            "volunteers.",
            "fr": "Produits d'hygiène, affaires pour bébés, vêtements et un endroit calme pour "
            "parler. Uniquement des bénévoles femmes.",
            "ar": "مواد نظافة، وأغراض للرضّع، وملابس، ومكان هادئ للحديث. المتطوعات نساء فقط.",
        },
        "eligibility": {
            "en": "Women and children",
            "fr": "Femmes et enfants",
            "ar": "النساء والأطفال",
            "fa": "زنان و کودکان",
            "ckb": "ئافرەتان و منداڵان",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["en", "fr", "ar", "fa", "ckb"],
        "verified_days_ago": 18,
        "hours": weekly((MON, WED, FRI), "11:00", "15:00", "loon"),
    },
    {
        "area": "grande-synthe",
        "organisation": "State cold-weather plan",
        "categories": ["shelter", "emergencies"],
        "places": ["gs_shelter"],
        "title": {
            "en": "Night shelter on cold nights",
            "fr": "Hébergement de nuit par grand froid",
            "ar": "مبيت ليلي في الليالي الباردة",
        },
        "description": {
            "en": "In winter, a shelter opens for the night when it is very cold. Ask at the "
            "meal or call the emergency line to know if it is open tonight.",
            "fr": "En hiver, un abri ouvre pour la nuit quand il fait très froid. Demandez au "
            "repas ou appelez la ligne d'urgence pour savoir s'il est ouvert ce soir.",
            "ar": "في الشتاء، يُفتح مأوى للمبيت عندما يشتد البرد. اسأل في وجبة الطعام أو اتصل "
            "بخط الطوارئ لتعرف إن كان مفتوحاً الليلة.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr"],
        "verified_days_ago": 33,
        # Nobody has said whether it opens on public holidays: closed_on_public_holidays is
        # left unknown, so the guide warns on those days.
        "hours": weekly(EVERY_DAY, "20:00", "08:00", "gs_shelter", **WINTER_ONLY),
    },
    {
        "area": "grande-synthe",
        "organisation": "Flandres Terre Solidaire",
        "categories": ["shelter", "health"],
        "places": ["bailleul"],
        "title": {
            "en": "Winter shelter for people with health problems (Bailleul)",
            "fr": "Hébergement d'hiver pour personnes malades (Bailleul)",
            "ar": "مأوى شتوي للأشخاص الذين لديهم مشاكل صحية (بايول)",
        },
        "description": {
            "en": "From November to March, a house in Bailleul, near Lille, takes in people "
            "with health problems.",
            "fr": "De novembre à mars, une maison à Bailleul, près de Lille, accueille des "
            "personnes qui ont des problèmes de santé.",
            "ar": "من نوفمبر إلى مارس، يستقبل بيت في بايول، قرب ليل، أشخاصاً لديهم مشاكل صحية.",
        },
        "eligibility": {
            "en": "People with health problems",
            "fr": "Personnes ayant des problèmes de santé",
            "ar": "الأشخاص الذين لديهم مشاكل صحية",
        },
        "contact_note": {
            "en": "You need a referral: ask the PASS clinic or a health association.",
            "fr": "Il faut être orienté : demandez à la PASS ou à une association de santé.",
            "ar": "تحتاج إلى إحالة: اسأل عيادة PASS أو جمعية صحية.",
        },
        "access": "referral",
        "cost": "free",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 80,
        "hours": weekly(EVERY_DAY, "18:00", "09:00", "bailleul", **WINTER_ONLY),
    },
    {
        "area": "grande-synthe",
        "organisation": "Médecins du Monde",
        "categories": ["health"],
        "places": ["puythouck"],
        "title": {
            "en": "Health clinic at the camp",
            "fr": "Consultations médicales au camp",
            "ar": "عيادة صحية في المخيم",
        },
        "description": {
            "en": "Doctors and nurses see people in a van at the Puythouck car park.",
            "fr": "Des médecins et des infirmiers reçoivent dans un camion au parking du "
            "Puythouck.",
            "ar": "يستقبل الأطباء والممرضون الناس في شاحنة في موقف سيارات بويتوك.",
        },
        "access": "unconditional",
        "cost": "free",
        "languages_spoken": ["fr", "en", "ar", "fa"],
        "verified_days_ago": 28,
        "hours": weekly((TUE, THU), "14:00", "17:00", "puythouck"),
        "exceptions": [
            {
                "weekday": THU,
                "weeks_ahead": 1,
                "kind": "cancelled",
                "reason": {
                    "en": "No clinic that day. For urgent care go to the hospital.",
                    "fr": "Pas de consultation ce jour-là. Pour une urgence, allez à l'hôpital.",
                    "ar": "لا توجد عيادة في ذلك اليوم. للحالات العاجلة اذهب إلى المستشفى.",
                },
            }
        ],
    },
    {
        "area": "grande-synthe",
        "organisation": "Dunkirk hospital",
        "categories": ["health", "emergencies"],
        "places": ["dunkirk_hospital"],
        "title": HOSPITAL_EMERGENCY_TITLE,
        "description": HOSPITAL_EMERGENCY_DESCRIPTION,
        "contact_note": AMBULANCE_NOTE,
        "access": "unconditional",
        "cost": "unknown",
        "languages_spoken": ["fr", "en"],
        "verified_days_ago": 5,
        "hours": day_and_night("dunkirk_hospital"),
    },
]

# --- Alerts --------------------------------------------------------------------------------
# Times are relative to when the command runs, so the demo always has something active.
ALERTS = [
    {
        "area": "calais",
        "severity": "warning",
        "starts_hours_ago": 20,
        "ends_in_days": 6,
        "message": {
            "en": "Evictions are expected at the Dunes site this week. Keep your papers and "
            "your phone with you.",
            "fr": "Des expulsions sont attendues cette semaine sur le site des Dunes. Gardez vos "
            "papiers et votre téléphone sur vous.",
            "ar": "يُتوقَّع إخلاء موقع Les Dunes هذا الأسبوع. احتفظ بأوراقك وهاتفك معك.",
        },
    },
    {
        "area": "calais",
        "severity": "info",
        "starts_hours_ago": 48,
        "ends_in_days": 20,
        "message": {
            "en": "New phone batteries have arrived at the bus. Order yours at any session.",
            "fr": "De nouvelles batteries de téléphone sont arrivées au bus. Commandez la vôtre "
            "à n'importe quelle session.",
            "ar": "وصلت بطاريات هواتف جديدة إلى الحافلة. اطلب بطاريتك في أي جلسة.",
        },
    },
    {
        # Over already: shows that old alerts drop off by themselves.
        "area": "calais",
        "severity": "info",
        "starts_hours_ago": 240,
        "ends_in_days": -8,
        "message": {
            "en": "The Sunday session is cancelled because of the storm.",
            "fr": "La session du dimanche est annulée à cause de la tempête.",
            "ar": "أُلغيت جلسة يوم الأحد بسبب العاصفة.",
        },
    },
    {
        "area": "grande-synthe",
        "severity": "danger",
        "starts_hours_ago": 6,
        "ends_in_days": 3,
        "message": {
            "en": "Storm and freezing nights are coming. If you have no shelter, call the "
            "emergency line.",
            "fr": "Tempête et nuits glaciales annoncées. Si vous n'avez pas d'abri, appelez la "
            "ligne d'urgence.",
            "ar": "عاصفة وليالٍ شديدة البرودة قادمة. إن لم يكن لديك مأوى، اتصل بخط الطوارئ.",
        },
    },
]

# --- Info pages ----------------------------------------------------------------------------
ASYLUM_FRANCE_EN = """\
If you are in danger in your country, you can ask France for protection. This is called
asylum.

## The steps

1. **Go with an association.** In Calais, France Terre d'Asile or Secours Catholique can
   explain the steps and go with you to the sous-préfecture.
2. **Fingerprints.** Your fingerprints are checked in a European file. If another European
   country took them before, France may ask that country to handle your claim (the "Dublin"
   rules). This often takes 2 to 3 months. If France has not sent you there after 6 months,
   France becomes responsible for your claim.
3. **Your file.** When France handles your claim, you have **21 days** to send your file to
   OFPRA. You get a paper that lets you stay in France while your claim goes on.
4. **The interview.** OFPRA invites you to an interview. Tell your story clearly, with dates
   and places.
5. **The answer.** If OFPRA says no, you have **one month** to appeal to the CNDA. Ask an
   association for help straight away.

## While you wait

The State must offer asylum seekers a place to sleep and a small allowance. This does not
always happen: an association can help you claim your rights, even in court.

*Rules change often. Check with an association before you decide.*
"""

ASYLUM_FRANCE_FR = """\
Si vous êtes en danger dans votre pays, vous pouvez demander la protection de la France.
C'est ce qu'on appelle l'asile.

## Les étapes

1. **Allez-y avec une association.** À Calais, France Terre d'Asile ou le Secours Catholique
   peuvent vous expliquer les étapes et vous accompagner à la sous-préfecture.
2. **Les empreintes.** On vérifie vos empreintes dans un fichier européen. Si un autre pays
   européen les a déjà prises, la France peut lui demander de traiter votre demande (règles
   « Dublin »). Cela prend souvent 2 à 3 mois. Si la France ne vous y a pas renvoyé au bout de
   6 mois, elle devient responsable de votre demande.
3. **Votre dossier.** Quand la France traite votre demande, vous avez **21 jours** pour envoyer
   votre dossier à l'OFPRA. Vous recevez un papier qui vous permet de rester en France pendant
   la procédure.
4. **L'entretien.** L'OFPRA vous convoque à un entretien. Racontez votre histoire clairement,
   avec des dates et des lieux.
5. **La réponse.** Si l'OFPRA dit non, vous avez **un mois** pour faire appel devant la CNDA.
   Demandez tout de suite l'aide d'une association.

## Pendant l'attente

L'État doit proposer aux demandeurs d'asile un hébergement et une petite allocation. Ce n'est
pas toujours fait : une association peut vous aider à faire valoir vos droits, même devant un
juge.

*Les règles changent souvent. Vérifiez auprès d'une association avant de décider.*
"""

ASYLUM_FRANCE_AR = """\
إذا كنت في خطر في بلدك، يمكنك أن تطلب الحماية من فرنسا. هذا ما يسمى اللجوء.

## الخطوات

1. **اذهب مع جمعية.** في كاليه، يمكن لجمعية France Terre d'Asile أو Secours Catholique أن
   تشرح لك الخطوات وترافقك إلى مكتب المحافظة الفرعي (sous-préfecture).
2. **البصمات.** تُفحص بصماتك في سجل أوروبي. إذا أخذ بلد أوروبي آخر بصماتك من قبل، يمكن
   لفرنسا أن تطلب منه أن يتولى طلبك (قواعد «دبلن»). يستغرق هذا غالباً من شهرين إلى ثلاثة
   أشهر. إذا لم تُرسلك فرنسا إلى ذلك البلد خلال 6 أشهر، تصبح فرنسا مسؤولة عن طلبك.
3. **ملفك.** عندما تتولى فرنسا طلبك، لديك **21 يوماً** لإرسال ملفك إلى OFPRA. تحصل على
   ورقة تسمح لك بالبقاء في فرنسا أثناء دراسة طلبك.
4. **المقابلة.** يدعوك OFPRA إلى مقابلة. احكِ قصتك بوضوح، مع التواريخ والأماكن.
5. **الجواب.** إذا رفض OFPRA طلبك، لديك **شهر واحد** للطعن أمام CNDA. اطلب مساعدة جمعية
   فوراً.

## أثناء الانتظار

على الدولة أن تقدم لطالبي اللجوء مكاناً للنوم ومنحة صغيرة. لا يحدث هذا دائماً: يمكن لجمعية
أن تساعدك في المطالبة بحقوقك، حتى أمام القاضي.

*القواعد تتغير كثيراً. تأكد مع جمعية قبل أن تقرر.*
"""

ASYLUM_UK_EN = """\
You can only claim asylum in the UK once you are in the UK. You cannot claim it from France.

## The steps

1. **Screening interview.** Questions about who you are, your age, your family and how you
   travelled. Your fingerprints and photo are taken. Answer simply and truthfully.
2. **Substantive interview** (the "big" interview). Why you are afraid to go back. This is
   the most important day: give dates, places and details. You can ask to be interviewed by
   a man or by a woman.
3. **The decision.** If your claim is refused, you may be able to appeal. Time limits are
   short: find a lawyer at once.

## Good to know

- The UK can call your claim "inadmissible" because you passed through a safe country. Get
  legal advice.
- If you are under 18, say so from the start.
- Keep a copy of every paper you are given.
- Right to Remain has a free guide and short videos about each step, in several languages.
"""

ASYLUM_UK_FR = """\
Vous ne pouvez demander l'asile au Royaume-Uni qu'une fois au Royaume-Uni. Ce n'est pas
possible depuis la France.

## Les étapes

1. **Entretien de « screening ».** Des questions sur qui vous êtes, votre âge, votre famille et
   votre voyage. On prend vos empreintes et une photo. Répondez simplement et honnêtement.
2. **Entretien de fond** (le « grand » entretien). Pourquoi vous avez peur de rentrer. C'est le
   jour le plus important : donnez des dates, des lieux et des détails. Vous pouvez demander à
   être interrogé par un homme ou par une femme.
3. **La décision.** Si votre demande est refusée, vous pouvez peut-être faire appel. Les délais
   sont courts : trouvez tout de suite un avocat.

## Bon à savoir

- Le Royaume-Uni peut déclarer votre demande « irrecevable » parce que vous êtes passé par un
  pays sûr. Demandez un conseil juridique.
- Si vous avez moins de 18 ans, dites-le dès le début.
- Gardez une copie de chaque papier qu'on vous donne.
- Right to Remain propose un guide gratuit et de courtes vidéos sur chaque étape, en plusieurs
  langues.
"""

ASYLUM_UK_AR = """\
لا يمكنك طلب اللجوء في بريطانيا إلا بعد أن تصل إلى بريطانيا. لا يمكنك طلبه من فرنسا.

## الخطوات

1. **مقابلة الفحص الأولي (screening).** أسئلة عن هويتك وعمرك وعائلتك وطريق سفرك. تؤخذ
   بصماتك وصورتك. أجب ببساطة وبصدق.
2. **المقابلة الأساسية** (المقابلة «الكبيرة»). لماذا تخاف من العودة. هذا أهم يوم: اذكر
   التواريخ والأماكن والتفاصيل. يمكنك أن تطلب أن يقابلك رجل أو امرأة.
3. **القرار.** إذا رُفض طلبك، قد يمكنك الطعن. المهل قصيرة: ابحث عن محامٍ فوراً.

## من المفيد أن تعرف

- يمكن لبريطانيا أن تعتبر طلبك «غير مقبول» لأنك مررت ببلد آمن. اطلب استشارة قانونية.
- إذا كان عمرك أقل من 18 سنة، قل ذلك من البداية.
- احتفظ بنسخة من كل ورقة تُعطى لك.
- لدى Right to Remain دليل مجاني وفيديوهات قصيرة عن كل خطوة، بعدة لغات.
"""

POLICE_EN = """\
## Identity checks

The police may check your identity. A check because of your skin colour or the way you look
is forbidden.

If you cannot prove who you are, you can be held to check your identity for **4 hours at
most**. The questions must only be about your identity.

## Custody (garde à vue)

Only if you are suspected of a crime or an offence: **24 hours**, which can be renewed once.
You have the right to:

- see **a lawyer**, free of charge;
- see **a doctor**;
- have **an interpreter**.

Having no papers is not a crime. You cannot be put in custody for that alone.

## Force

The police must respect you and your belongings. They may only use force when it is needed,
and no more than needed.

## If the police hurt you, or you see abuse

- Call **07 87 27 01 86**. If nobody answers, leave a message.
- Write down the date, the time, the place and what happened.
- Take photos of injuries and of damaged things.
- You can also write to the Défenseur des droits, an independent office that protects rights.
"""

POLICE_FR = """\
## Contrôles d'identité

La police peut contrôler votre identité. Un contrôle à cause de la couleur de votre peau ou
de votre apparence est interdit.

Si vous ne pouvez pas prouver qui vous êtes, vous pouvez être retenu pour vérifier votre
identité pendant **4 heures au plus**. Les questions doivent porter uniquement sur votre
identité.

## Garde à vue

Seulement si vous êtes soupçonné d'un crime ou d'un délit : **24 heures**, renouvelables une
fois. Vous avez le droit :

- de voir **un avocat**, gratuitement ;
- de voir **un médecin** ;
- d'avoir **un interprète**.

Ne pas avoir de papiers n'est pas un crime. On ne peut pas vous mettre en garde à vue pour
cette seule raison.

## La force

La police doit vous respecter, vous et vos affaires. Elle ne peut utiliser la force que si
c'est nécessaire, et pas plus que nécessaire.

## Si la police vous fait du mal, ou si vous voyez des abus

- Appelez le **07 87 27 01 86**. Si personne ne répond, laissez un message.
- Notez la date, l'heure, le lieu et ce qui s'est passé.
- Prenez en photo les blessures et les affaires abîmées.
- Vous pouvez aussi écrire au Défenseur des droits, une autorité indépendante qui protège les
  droits.
"""

POLICE_AR = """\
## التحقق من الهوية

يمكن للشرطة أن تتحقق من هويتك. التفتيش بسبب لون بشرتك أو مظهرك ممنوع.

إذا لم تستطع إثبات هويتك، يمكن احتجازك للتحقق منها مدة **4 ساعات كحد أقصى**. يجب أن تكون
الأسئلة عن هويتك فقط.

## التوقيف (garde à vue)

فقط إذا كنت مشتبهاً بارتكاب جريمة أو جنحة: **24 ساعة**، يمكن تمديدها مرة واحدة. لك الحق في:

- مقابلة **محامٍ** مجاناً؛
- مقابلة **طبيب**؛
- الحصول على **مترجم**.

عدم امتلاك أوراق ليس جريمة. لا يمكن توقيفك لهذا السبب وحده.

## القوة

يجب على الشرطة أن تحترمك وتحترم أغراضك. لا يحق لها استعمال القوة إلا عند الضرورة، وبقدر
الضرورة فقط.

## إذا آذتك الشرطة أو رأيت تجاوزات

- اتصل بالرقم **07 87 27 01 86**. إذا لم يرد أحد، اترك رسالة.
- اكتب التاريخ والوقت والمكان وما حدث.
- التقط صوراً للإصابات وللأغراض المتضررة.
- يمكنك أيضاً أن تكتب إلى Défenseur des droits، وهي هيئة مستقلة تحمي الحقوق.
"""

PHONES_EN = """\
Your phone is your map, your translator and your link to your family. Here is how to make
your data last.

## Before you buy data

- **Ask whether you can call your country.** Some offers do not allow calls to some
  countries, for example Sudan or Eritrea. People have spent all their money on data they
  could not use.
- **Think about what you will use it for.** 140 MB is about **6 minutes** of HD video, but
  about **45 minutes** of WhatsApp call.

## Save data

- In WhatsApp, turn off the automatic download of photos and videos.
- Use the wifi at the bus to update apps and watch videos.
- Watch videos in low quality.

## Protect what matters

- Write important phone numbers on paper too.
- Keep a copy of your documents somewhere safe, for example in an email to yourself.
- Lock your phone with a code.

## At the bus

Free SIM cards (Lyca or Three, with 140 MB to 1 GB of data), charging, cables, battery orders
and phone repairs.
"""

PHONES_FR = """\
Votre téléphone est votre carte, votre traducteur et votre lien avec votre famille. Voici
comment faire durer vos données.

## Avant d'acheter des données

- **Demandez si vous pouvez appeler votre pays.** Certaines offres ne permettent pas
  d'appeler certains pays, par exemple le Soudan ou l'Érythrée. Des personnes ont dépensé tout
  leur argent pour des données qu'elles ne pouvaient pas utiliser.
- **Pensez à ce que vous allez en faire.** 140 Mo, c'est environ **6 minutes** de vidéo HD,
  mais environ **45 minutes** d'appel WhatsApp.

## Économiser les données

- Dans WhatsApp, désactivez le téléchargement automatique des photos et des vidéos.
- Utilisez le wifi du bus pour mettre à jour les applications et regarder des vidéos.
- Regardez les vidéos en basse qualité.

## Protéger l'essentiel

- Notez aussi les numéros importants sur papier.
- Gardez une copie de vos documents dans un endroit sûr, par exemple dans un e-mail envoyé à
  vous-même.
- Verrouillez votre téléphone avec un code.

## Au bus

Cartes SIM gratuites (Lyca ou Three, avec 140 Mo à 1 Go de données), recharge, câbles,
commandes de batteries et réparation de téléphones.
"""

PHONES_AR = """\
هاتفك هو خريطتك ومترجمك وصلتك بعائلتك. إليك كيف تجعل باقة الإنترنت تدوم أطول.

## قبل أن تشتري باقة إنترنت

- **اسأل هل يمكنك الاتصال ببلدك.** بعض العروض لا تسمح بالاتصال ببعض البلدان، مثل السودان أو
  إريتريا. هناك أشخاص صرفوا كل أموالهم على باقات لم يستطيعوا استعمالها.
- **فكّر فيما ستستعملها له.** 140 ميغابايت تكفي لنحو **6 دقائق** من فيديو بجودة عالية، لكنها
  تكفي لنحو **45 دقيقة** من مكالمة واتساب.

## وفّر الإنترنت

- في واتساب، أوقف التنزيل التلقائي للصور والفيديوهات.
- استعمل الواي فاي عند الحافلة لتحديث التطبيقات ومشاهدة الفيديوهات.
- شاهد الفيديوهات بجودة منخفضة.

## احمِ ما هو مهم

- اكتب أرقام الهواتف المهمة على ورقة أيضاً.
- احتفظ بنسخة من وثائقك في مكان آمن، مثلاً في بريد إلكتروني ترسله لنفسك.
- اقفل هاتفك برمز سري.

## عند الحافلة

شرائح SIM مجانية (Lyca أو Three، مع 140 ميغابايت إلى 1 غيغابايت)، وشحن، وكابلات، وطلب
بطاريات، وتصليح هواتف.
"""

HEALTH_DRAFT_EN = """\
- The PASS clinic sees people without health insurance, Monday to Friday, 14:00 to 18:00.
- Hospital emergency departments see everyone with an urgent health problem.
- Asylum seekers have the right to health cover: ask the association that helps with your
  claim.
"""

HEALTH_DRAFT_FR = """\
- La PASS reçoit les personnes sans assurance maladie, du lundi au vendredi, de 14 h à 18 h.
- Les urgences de l'hôpital reçoivent toute personne qui a un problème de santé urgent.
- Les demandeurs d'asile ont droit à une couverture maladie : demandez à l'association qui
  vous aide pour votre demande.
"""

# French emergency numbers: free from any phone, day and night.
EMERGENCY_EN = """\
- **112**: any emergency, from any phone.
- **15**: a medical emergency, an ambulance (SAMU).
- **17**: the police.
- **18**: the fire brigade, also for accidents and injuries.
- **115**: emergency shelter for the night.
- **119**: a child in danger.
- **114**: by text message (SMS) if you cannot speak or hear.

These calls are free.
"""

EMERGENCY_FR = """\
- **112** : toute urgence, depuis n'importe quel téléphone.
- **15** : urgence médicale, ambulance (SAMU).
- **17** : la police.
- **18** : les pompiers, aussi pour les accidents et les blessures.
- **115** : hébergement d'urgence pour la nuit.
- **119** : un enfant en danger.
- **114** : par SMS si vous ne pouvez pas parler ou entendre.

Ces appels sont gratuits.
"""

EMERGENCY_AR = """\
- **112**: لأي حالة طارئة، من أي هاتف.
- **15**: حالة طبية طارئة، سيارة إسعاف (SAMU).
- **17**: الشرطة.
- **18**: رجال الإطفاء، وأيضًا للحوادث والإصابات.
- **115**: مأوى طارئ للمبيت ليلًا.
- **119**: طفل في خطر.
- **114**: برسالة نصية (SMS) إذا كنت لا تستطيع الكلام أو السمع.

هذه المكالمات مجانية.
"""

INFO_PAGES = [
    {
        # Printed on the back of the booklet (topic "emergency"), and listed online.
        "slug": "emergency-numbers",
        "topic": "emergency",
        "order": 5,
        "is_published": True,
        "title": {
            "en": "Emergency numbers",
            "fr": "Numéros d'urgence",
            "ar": "أرقام الطوارئ",
        },
        "body": {"en": EMERGENCY_EN, "fr": EMERGENCY_FR, "ar": EMERGENCY_AR},
    },
    {
        "slug": "asylum-in-france",
        "topic": "asylum_france",
        "order": 10,
        "is_published": True,
        "title": {
            "en": "Asylum in France",
            "fr": "L'asile en France",
            "ar": "اللجوء في فرنسا",
        },
        "body": {"en": ASYLUM_FRANCE_EN, "fr": ASYLUM_FRANCE_FR, "ar": ASYLUM_FRANCE_AR},
    },
    {
        "slug": "asylum-in-the-uk",
        "topic": "asylum_uk",
        "order": 20,
        "is_published": True,
        "title": {
            "en": "Asylum in the UK",
            "fr": "L'asile au Royaume-Uni",
            "ar": "اللجوء في بريطانيا",
        },
        "body": {"en": ASYLUM_UK_EN, "fr": ASYLUM_UK_FR, "ar": ASYLUM_UK_AR},
    },
    {
        "slug": "rights-with-the-police",
        "topic": "police",
        "order": 30,
        "is_published": True,
        "title": {
            "en": "Your rights with the police",
            "fr": "Vos droits face à la police",
            "ar": "حقوقك مع الشرطة",
        },
        "body": {"en": POLICE_EN, "fr": POLICE_FR, "ar": POLICE_AR},
    },
    {
        "slug": "phones-and-data",
        "topic": "phones",
        "order": 40,
        "is_published": True,
        "title": {
            "en": "Phones and data",
            "fr": "Téléphones et données",
            "ar": "الهواتف والإنترنت",
        },
        "body": {"en": PHONES_EN, "fr": PHONES_FR, "ar": PHONES_AR},
    },
    {
        # A draft: not shown in the public guide until someone publishes it.
        "slug": "health-care-without-papers",
        "topic": "health",
        "order": 50,
        "is_published": False,
        "title": {"en": "Health care without papers", "fr": "Se soigner sans papiers"},
        "body": {"en": HEALTH_DRAFT_EN, "fr": HEALTH_DRAFT_FR},
    },
]

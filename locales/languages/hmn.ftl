### Language names in Hmong, for the languages listings are offered in. CLDR, where the app finds
### the names for English, Spanish and Somali, has no Hmong yet. DRAFT: awaiting review by a
### native speaker (TRANSLATIONS.md).

en = lus Askiv
es = lus Mev
so = lus Somali
hmn = lus Hmoob
om = lus Oromo
am = lus Amharic
ti = lus Tigrinya
ar = lus Arab
vi = lus Nyab Laj
kar = lus Kalees
lo = lus Nplog
th = lus Thaib
my = lus Mas Nplej
zh = lus Suav
fr = lus Fab Kis
ht = lus Haiti
pt = lus Portuguese
ru = lus Lavxias
uk = lus Ukraine
sw = lus Swahili
ne = lus Nepal
fa = lus Persian
ps = lus Pashto
ku = lus Kurdish

"""Text for the synthetic corpus: call-centre templates plus everyday English from Debian packages.

All text is normalised to lowercase letters, apostrophes and single spaces, with numbers spelled
out, so that what the synthesiser says and the training label agree.
"""
import argparse
import glob
import gzip
import random
import re

ONES = "zero one two three four five six seven eight nine".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
MONTHS = ("january february march april may june july august september october november " "december").split()
DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

FIRST_NAMES = """james mary robert patricia john jennifer michael linda david elizabeth william barbara
richard susan joseph jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty
anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna joshua michelle
kenneth carol kevin amanda brian dorothy george melissa timothy deborah ronald stephanie edward
rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy nicholas angela eric shirley
jonathan anna stephen brenda larry pamela justin emma scott nicole brandon helen benjamin samantha
samuel katherine gregory christine alexander debra frank rachel patrick carolyn raymond janet jack
catherine dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia nathan joyce henry
virginia peter victoria zachary kelly douglas lauren harold christina kyle joan noah evelyn carl judith
arthur megan gerald andrea roger cheryl keith hannah jeremy jacqueline terry martha lawrence gloria
sean teresa christian ann albert sara joe madison ethan frances austin kathryn jesse janice willie
jean billy abigail bryan alice bruce judy jordan sophia ralph grace roy denise noel amber eugene
doris wayne marilyn louis danielle philip beverly bobby isabella johnny theresa bradley diana
priya raj mohammed fatima ahmed wei li chen yuki hiroshi carlos sofia lucia miguel pierre ingrid
olga ivan dmitri aisha kwame oluwaseun mei xin anil sunita""".split()
LAST_NAMES = """smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez
lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores
green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner
diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz
morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez
wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross
foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes fisher
vasquez simmons graham marshall owens harrison fernandez mcdonald woods washington kennedy wells
o'brien o'connor murray ford hamilton gibson wallace duncan hunter palmer robertson black holmes
stone meyer boyd mills warren fox rose rice moreno schmidt kowalski novak singh khan ali""".split()
STREETS = """main oak pine maple cedar elm washington lake hill park view church high mill river
spring north south east west market station victoria king queen bridge chestnut walnut highland
forest meadow sunset willow jefferson lincoln madison franklin""".split()
STREET_TYPES = "street avenue road lane drive court boulevard way place crescent".split()
CITIES = """springfield riverside franklin greenville bristol clinton fairview salem madison georgetown
arlington ashland dover oxford jackson burlington manchester milton newport auburn dayton lexington
london boston chicago denver houston phoenix seattle portland atlanta dallas toronto dublin leeds
glasgow manchester cardiff sydney melbourne auckland austin miami orlando""".split()
PRODUCTS = """internet connection, phone line, mobile plan, broadband, router, modem, television package,
credit card, debit card, savings account, checking account, mortgage, loan, insurance policy,
subscription, order, parcel, delivery, refund, invoice, bill, statement, payment, direct debit,
standing order, contract, upgrade, handset, sim card, password, pin number, voicemail, appointment,
booking, reservation, ticket, flight, prescription, claim, premium, warranty, repair, boiler,
electricity meter, gas supply, water bill, pension, overdraft, online banking, laptop, tablet""".replace(
    "\n", " "
).split(
    ", "
)
ISSUES = """my internet keeps dropping out
i was charged twice this month
the package never arrived
i can't log in to my account
my card was declined at the shop
the engineer didn't turn up yesterday
the bill is much higher than usual
i've been on hold for forty minutes
nobody called me back
the line is very noisy
i want to cancel my subscription
i'd like to dispute a transaction
the app keeps crashing on my phone
my password reset email never came
i lost my card and need a new one
the delivery was damaged
i was promised a refund three weeks ago
the heating stopped working again
my order is missing two items
i didn't authorise this payment""".split(
    "\n"
)
IVR = """please listen carefully as our menu options have changed
for billing press one
for technical support press two
to speak to an agent please stay on the line
your call is important to us
please hold while i transfer your call
this call may be recorded for training and quality purposes
please enter your account number followed by the hash key
sorry i didn't catch that
please say yes or no
you are now number three in the queue
the current waiting time is approximately five minutes
thank you for calling
is there anything else i can help you with today
can i take your full name please
could you confirm your date of birth
can you spell that for me please
let me just check that for you
i'm going to put you on a brief hold
i've updated your details on the system
your reference number is
i apologise for the inconvenience
i completely understand your frustration
i'll escalate this to my manager
have a lovely day
good morning you're through to customer services
good afternoon how can i help
hello am i speaking to the account holder
for security can you confirm the first line of your address
one moment please
yes that's correct
no that's not right
yes please
no thank you
that's fine
okay great
sure no problem
could you repeat that please
sorry the line is breaking up
i can hear you now""".split(
    "\n"
)

TEMPLATES = [
    "my account number is {digits}",
    "the account number is {digits}",
    "my card number is {card}",
    "the last four digits are {digits4}",
    "my phone number is {phone}",
    "you can reach me on {phone}",
    "my reference number is {alnum}",
    "my postcode is {postcode}",
    "i'd like to pay {amount}",
    "the balance is {amount}",
    "i was charged {amount} on {date}",
    "the payment of {amount} is due on {date}",
    "my date of birth is {date_year}",
    "i was born on {date_year}",
    "can i book an appointment for {day} at {time}",
    "the engineer is coming on {date} between {time} and {time}",
    "i called on {day} at {time}",
    "my name is {first} {last}",
    "this is {first} {last} calling about my {product}",
    "hi my name is {first} and i'm calling about my {product}",
    "the account is in the name of {first} {last}",
    "i live at {house} {street} {street_type} {city}",
    "my address is {house} {street} {street_type}",
    "please send it to {house} {street} {street_type} in {city}",
    "i'm calling about my {product}",
    "i have a problem with my {product}",
    "i want to cancel my {product}",
    "can you tell me why my {product} costs {amount}",
    "{issue}",
    "{issue} and i want it sorted out",
    "hello {issue}",
    "{ivr}",
    "{ivr} {ivr}",
    "{greeting} {ivr}",
    "{yesno}",
    "{yesno} my name is {first} {last}",
    "{spelled}",
    "that's {spelled}",
    "my surname is {last} that's {spelled_last}",
    "the order number is {digits} and it was placed on {date}",
    "i paid {amount} at {time} on {day}",
    "can you transfer {amount} to account {digits}",
    "i'd like to speak to {first} in the {dept} department",
    "please put me through to {dept}",
    "the flight leaves at {time} on {date}",
    "my policy number is {alnum}",
]
GREETINGS = [
    "hello",
    "hi",
    "good morning",
    "good afternoon",
    "good evening",
    "hi there",
    "hello there",
    "thanks for calling",
    "morning",
]
YESNO = [
    "yes",
    "no",
    "yeah",
    "nope",
    "yes please",
    "no thanks",
    "that's right",
    "correct",
    "absolutely",
    "not really",
    "i think so",
    "i don't think so",
    "okay",
    "right",
]
DEPTS = [
    "billing",
    "sales",
    "technical support",
    "accounts",
    "complaints",
    "customer services",
    "returns",
    "collections",
    "the fraud team",
    "retentions",
]
LETTER_NAMES = {
    c: n for c, n in zip("abcdefghijklmnopqrstuvwxyz", "a b c d e f g h i j k l m n o p q r s t u v w x y z".split())
}


def number_words(n):
    """Spell out 0 <= n < 1,000,000 in English words."""
    if n < 10:
        return ONES[n]
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + number_words(rest))
    rest = n % 1000
    head = number_words(n // 1000) + " thousand"
    if rest == 0:
        return head
    return head + (" and " if rest < 100 else " ") + number_words(rest)


def ordinal_words(n):
    if n <= 20:
        return ORDINALS[n - 1]
    if n % 10 == 0:
        return TENS[n // 10][:-1] + "ieth"
    return TENS[n // 10] + " " + ORDINALS[n % 10 - 1]


def year_words(y):
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " and " + ONES[y % 10])
    head, tail = divmod(y, 100)
    if tail == 0:
        return number_words(head) + " hundred"
    return number_words(head) + " " + (("oh " + ONES[tail]) if tail < 10 else number_words(tail))


def digit_string(rng, n):
    words = []
    for _ in range(n):
        d = rng.randrange(10)
        words.append("oh" if d == 0 and rng.random() < 0.3 else ONES[d])
    return " ".join(words)


class TemplateText:
    def __init__(self, rng):
        self.rng = rng
        self.last_name = None  # the {last} of the sentence being built: {spelled_last} spells it

    def slot(self, name):
        r = self.rng
        if name == "digits":
            return digit_string(r, r.randint(4, 10))
        if name == "digits4":
            return digit_string(r, 4)
        if name == "card":
            return " ".join(digit_string(r, 4) for _ in range(r.randint(2, 4)))
        if name == "phone":
            return digit_string(r, r.randint(7, 11))
        if name == "alnum":
            parts = [
                LETTER_NAMES[r.choice("abcdefghjkmnprstuvwxyz")] if r.random() < 0.35 else ONES[r.randrange(10)]
                for _ in range(r.randint(5, 9))
            ]
            return " ".join(parts)
        if name == "postcode":
            return " ".join(
                [LETTER_NAMES[r.choice("abcdefghklmnprstwy")] for _ in range(2)]
                + [ONES[r.randrange(10)], ONES[r.randrange(10)]]
                + [LETTER_NAMES[r.choice("abdefghjlnpqrstuwxyz")] for _ in range(2)]
            )
        if name == "amount":
            major = r.choice([r.randint(1, 20), r.randint(20, 999), r.randint(1000, 99999)])
            cur = r.choice(["dollars", "pounds", "euros"])
            text = number_words(major) + " " + cur
            if r.random() < 0.5:
                text += " and " + number_words(r.randint(1, 99)) + " " + r.choice(["cents", "pence"])
            return text
        if name in ("date", "date_year"):
            day, month = r.randint(1, 31), r.choice(MONTHS)
            text = f"the {ordinal_words(day)} of {month}" if r.random() < 0.5 else f"{month} {ordinal_words(day)}"
            if name == "date_year" or r.random() < 0.2:
                text += " " + year_words(r.randint(1940, 2029))
            return text
        if name == "time":
            h, m = r.randint(1, 12), r.choice([0, 0, 5, 10, 15, 20, 30, 45, r.randint(1, 59)])
            if m == 0:
                text = number_words(h) + r.choice([" o'clock", "", ""])
            elif m < 10:
                text = number_words(h) + " oh " + ONES[m]
            else:
                text = number_words(h) + " " + number_words(m)
            return text + r.choice(["", " am", " pm", " in the morning", " in the afternoon"])
        if name == "day":
            return r.choice(DAYS + ["tomorrow", "today", "next " + r.choice(DAYS)])
        if name == "first":
            return r.choice(FIRST_NAMES)
        if name == "last":
            self.last_name = r.choice(LAST_NAMES)
            return self.last_name
        if name == "house":
            return number_words(r.randint(1, 999))
        if name == "street":
            return r.choice(STREETS)
        if name == "street_type":
            return r.choice(STREET_TYPES)
        if name == "city":
            return r.choice(CITIES)
        if name == "product":
            return r.choice(PRODUCTS)
        if name == "issue":
            return r.choice(ISSUES)
        if name == "ivr":
            return r.choice(IVR)
        if name == "greeting":
            return r.choice(GREETINGS)
        if name == "yesno":
            return r.choice(YESNO)
        if name == "dept":
            return r.choice(DEPTS)
        if name in ("spelled", "spelled_last"):
            if name == "spelled_last" and self.last_name:
                word = self.last_name
            else:
                word = r.choice(LAST_NAMES if name == "spelled_last" else FIRST_NAMES + LAST_NAMES)
            return " ".join(LETTER_NAMES[c] for c in word if c in LETTER_NAMES)
        raise KeyError(name)

    def sentence(self):
        self.last_name = None
        template = self.rng.choice(TEMPLATES)
        return normalise(re.sub(r"\{(\w+)\}", lambda m: self.slot(m.group(1)), template))


def normalise(text):
    """Lowercase, numbers spelled out digit by digit, only [a-z' ] kept, single spaces."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"\d", lambda m: " " + ONES[int(m.group(0))] + " ", text)
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = re.sub(r"(^| )'+|'+( |$)", " ", text)
    return " ".join(text.split())


def _read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        return f.read()


def wordnet_examples():
    """The example sentences of WordNet's glosses (wordnet-base): everyday usage of every word class."""
    found = []
    for path in sorted(glob.glob("/usr/share/wordnet/data.*")):
        for line in _read(path).splitlines():
            if line.startswith("  ") or "|" not in line:
                continue  # the licence header, or a line without a gloss
            found += re.findall(r'"([^"]+)"', line.split("|", 1)[1])
    return found


def fortune_sentences():
    """Sentences of the fortune cookie databases (fortunes, fortunes-min): quips, dialogue, proverbs."""
    found = []
    for path in sorted(glob.glob("/usr/share/games/fortunes/*")):
        if path.endswith((".dat", ".u8")) or "/off/" in path:
            continue
        for cookie in _read(path).split("\n%\n"):
            cookie = re.sub(r"\n\s*--.*$", "", cookie.strip(), flags=re.S)  # drop the attribution
            found += re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", cookie))
    return found


PROSE_SOURCES = {"wordnet": wordnet_examples, "fortunes": fortune_sentences}


def prose_sentences(min_words=4, max_words=18):
    """Plain spoken-style English sentences from text Debian ships (WordNet examples, fortunes)."""
    found = set()
    for read_source in PROSE_SOURCES.values():
        for raw in read_source():
            if re.search(r"[|*<>{}\[\]=:/\\_@#$%^&~`]|\d", raw):
                continue  # commands, markup, numbers with unclear readings
            words = normalise(raw).split()
            if min_words <= len(words) <= max_words and sum(len(w) == 1 for w in words) <= 2:
                found.add(" ".join(words))
    return sorted(found)


def build_sentences(seed, n_template, n_prose_max):
    """Unique template sentences plus prose sentences, shuffled with a fixed seed."""
    rng = random.Random(seed)
    gen = TemplateText(rng)
    templ = set()
    tries = 0
    while len(templ) < n_template and tries < n_template * 20:
        templ.add(gen.sentence())
        tries += 1
    prose = prose_sentences()
    rng.shuffle(prose)
    items = sorted(templ)
    rng.shuffle(items)
    return items, prose[:n_prose_max]


def lm_sentences(seed, n_template, exclude):
    """Text for the word language model: every prose sentence and n_template fresh template
    sentences, without the sentences in `exclude` (the held-out sets), one per line."""
    rng = random.Random(seed)
    gen = TemplateText(rng)
    template = {gen.sentence() for _ in range(n_template)}
    return sorted((template | set(prose_sentences())) - set(exclude))


def main():
    ap = argparse.ArgumentParser(
        description="Write the language-model text: python3 -m captrain.textgen "
        "--out lm_text.txt --exclude work/data/dev_seen/text ..."
    )
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=4321)
    ap.add_argument("--template-sentences", type=int, default=100000)
    ap.add_argument("--exclude", action="append", default=[], help="a Kaldi text file of held-out sentences")
    args = ap.parse_args()
    exclude = []
    for path in args.exclude:
        with open(path, encoding="utf-8") as f:
            exclude += [line.split(maxsplit=1)[1].strip() for line in f if len(line.split()) > 1]
    sentences = lm_sentences(args.seed, args.template_sentences, exclude)
    with open(args.out, "w", encoding="utf-8") as f:
        f.writelines(s + "\n" for s in sentences)
    print(f"{args.out}: {len(sentences)} sentences, {len(exclude)} held-out sentences left out")


if __name__ == "__main__":
    main()

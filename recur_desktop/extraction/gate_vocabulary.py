"""The resume gate's vocabulary: section headings of resumes, the headings, phrases and patterns
that give other documents away (job ads, READMEs, cover letters, invoices, notes, e-mails,
recipes), date forms, contact and personal-detail patterns, placeholder text and file-name hints.

Data and the helpers that build it only; :mod:`recur_desktop.extraction.gate` weighs it. The
usual fix for a wrong rejection is a resume heading or a date form here, and for a miss a cue of
its kind (decision 0004). Every pattern runs on folded text (lower case, no accents) and has no
ambiguous nested repetition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _fold(text: str) -> str:
    """Lower case without accents: "Expérience" -> "experience", "Grüße" -> "grusse"."""
    lowered = text.lower().replace("ß", "ss").replace("\u2019", "'")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _phrases(spec: str) -> list[str]:
    """``"a | b c | d"`` -> ``["a", "b c", "d"]``, folded."""
    return [_fold(" ".join(part.split())) for part in spec.split("|") if part.strip()]


# --- resume sections ----------------------------------------------------------------------------

#: Section headings of resumes by category, in English, French, German, Spanish, Portuguese, Dutch
#: (and a few in Italian, Polish, Swedish and Russian). Matched folded (no accents, lower case)
#: after the modifiers below are dropped, so "Berufliche Erfahrung", "EXPÉRIENCES
#: PROFESSIONNELLES" and "Technical Skills" all match.
_SECTION_WORDS: dict[str, str] = {
    "experience": """experience | experiences | employment | employments | career | internships |
        internship | berufserfahrung | berufserfahrungen | erfahrung | erfahrungen | werdegang |
        praktika | taetigkeiten | experiencia | experiencias | trayectoria | werkervaring |
        ervaring | loopbaan | werkgeschiedenis | esperienza | esperienze | doswiadczenie |
        erfarenhet | arbetslivserfarenhet | stages | опыт | 工作经历 | 工作经验 | 職歴 | 経歴 |
        ניסיון | الخبرة""",
    "education": """education | academic | academics | studies | training | trainings | schooling |
        coursework | degrees | formation | formations | etudes | diplomes | diplome | cursus |
        scolarite | ausbildung | bildung | bildungsweg | schulbildung | studium | hochschulbildung |
        educacion | formacion | estudios | educacao | formacao | escolaridade | opleiding |
        opleidingen | onderwijs | scholing | istruzione | wyksztalcenie | utbildning | образование |
        教育背景 | 教育经历 | 学歴 | השכלה | التعليم""",
    "skills": """skills | skill | competencies | competences | competence | expertise |
        technologies | proficiencies | abilities | strengths | kenntnisse | fahigkeiten |
        kompetenzen | habilidades | competencias | conocimientos | aptitudes | conhecimentos |
        aptidoes | vaardigheden | competenties | kennis | competenze | umiejetnosci | kompetenser |
        навыки | 技能 | 专业技能 | スキル | כישורים | المهارات""",
    "projects": """projects | portfolio | projets | projekte | proyectos | projetos | projectos |
        projecten | progetti | projekty""",
    "summary": """summary | profile | objective | objectives | statement | overview | profil |
        zusammenfassung | kurzprofil | perfil | resumen | objetivo | resumo | profiel |
        samenvatting | profilo""",
    "languages": """languages | langues | sprachen | sprachkenntnisse | idiomas | linguas |
        talen | lingue | jezyki | språk | языки""",
    "certifications": """certifications | certificates | certification | licenses | licences |
        courses | zertifikate | zertifizierungen | weiterbildung | weiterbildungen | fortbildungen |
        certificaciones | cursos | certificacoes | certificaten | cursussen | certificazioni""",
    "publications": """publications | research | teaching | conferences | presentations | grants |
        talks | patents | thesis | publikationen | veroffentlichungen | publicaciones |
        publicacoes | publicaties | pubblicazioni""",
    "interests": """interests | hobbies | hobby | loisirs | interets | hobbys | interessen |
        intereses | aficiones | interesses | passatempos | interessi""",
    "references": """references | referees | referenzen | referencias | referenties | referenze""",
    "awards": """awards | honors | honours | achievements | accomplishments | distinctions |
        auszeichnungen | premios | logros | conquistas | prijzen | onderscheidingen | premi""",
    "personal": """contact | contacts | kontakt | kontaktdaten | coordonnees | contacto | contato |
        personalia | contactgegevens | контакты""",
    "volunteering": """volunteering | volunteer | benevolat | ehrenamt | voluntariado |
        vrijwilligerswerk | volontariato""",
}

#: Whole-phrase section headings (folded) that the word table can't express.
_SECTION_PHRASES: dict[str, str] = {
    "experience": """work history | employment history | professional background | employment
        record | work experience | career summary | career history | work | relevant
        experience | parcours professionnel | parcours | beruflicher werdegang | praktische
        erfahrung | historial laboral | historico profissional | experiencia laboral |
        опыт работы""",
    "education": """academic background | educational background | education background |
        academic qualifications | educational qualifications""",
    "summary": """about me | about | sobre mi | sobre mim | over mij | uber mich | a propos |
        a propos de moi | personal statement | o mnie | resume""",
    "personal": """personal information | personal details | personal data | informations
        personnelles | etat civil | personliche daten | persoenliche daten | datos personales |
        informacion personal | dados pessoais | informacoes pessoais | persoonlijke gegevens |
        dati personali | contact information | contact details""",
    "interests": """centres d'interet | centres d interet | centre d'interet""",
    "skills": """tech stack | tools | outils | savoir-faire | know-how | it-kenntnisse""",
}

#: Words dropped from a heading before it is looked up ("Professional Experience", "EDUCATION
#: and TRAINING", "Mes compétences", "Key Skills & Tools").
_HEADING_FILLER = frozenset(
    _phrases(
        """and | & | und | et | y | e | en | of | in | de | du | des | la | le | les | el | los |
        das | der | die | my | mes | mis | meine | minhas | mijn | professional | professionnelle |
        professionnelles | professionnel | professionnels | profesional | profesionales |
        profissional | profissionais | professionele | beruflicher | berufliche | beruflichen |
        technical | techniques | technique | tecnicas | tecnicos | technische | technischen | key |
        core | relevant | selected | additional | other | main | personal | personnelles |
        computer | it | soft | hard | summary | history | highlights | academic | academique |
        academiques | akademischer | academica | academico | further | recent | laborales |
        laboral | lavorativa | lavorative | practical | industry | research | work | working |
        complementaires | complementaire | informatiques | informatique | sprach | en | et"""
    )
)

#: A resume's own title line.
_TITLE_LINES = frozenset(
    _phrases(
        """curriculum vitae | curriculum vitæ | cv | resume | resumé | lebenslauf | hoja de vida |
        curriculo | curriculum | levensloop | życiorys | резюме"""
    )
)

#: Section categories a job advertisement shares with resumes: they count, but weakly.
_SHARED_WITH_JOB_ADS = frozenset({"experience", "education", "skills"})


def _section_tables() -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    for category, spec in _SECTION_WORDS.items():
        for word in _phrases(spec):
            words[word] = category
    phrases: dict[str, str] = {}
    for category, spec in _SECTION_PHRASES.items():
        for phrase in _phrases(spec):
            phrases[phrase] = category
    return words, phrases


_SECTION_WORD, _SECTION_PHRASE = _section_tables()

# --- headings of other documents ----------------------------------------------------------------

#: Heading or label lines (folded, whole line or the label before a colon) of other documents,
#: with a weight each.
_KIND_HEADINGS: dict[str, dict[int, str]] = {
    "job_ad": {
        2: """what we offer | what you'll do | what you will do | who you are | about the role |
            about the job | about the position | how to apply | your profile | your tasks |
            nice to have | nice-to-have | must have | must-have | key responsibilities | job
            description | role description | position description | job summary | position
            summary | what we're looking for | what we are looking for | who we're looking for |
            who we are looking for | about the company | about us | who we are | required skills |
            preferred skills | desired skills | required qualifications | preferred
            qualifications | minimum qualifications | basic qualifications | our offer | perks |
            benefits | compensation | job type | employment type | vos missions | votre profil |
            profil recherche | nous offrons | ce que nous offrons | description du poste |
            le poste | qui sommes-nous | ihre aufgaben | deine aufgaben | ihr profil | dein profil |
            wir
            bieten | was wir bieten | das bieten wir | uber uns | stellenbeschreibung |
            anforderungen | ofrecemos | que ofrecemos | sobre nosotros | descripcion del puesto |
            tu perfil | beneficios | oferecemos | o que oferecemos | sobre nos | descricao da
            vaga | seu perfil | functieomschrijving | wat ga je doen | wat bieden wij | wij
            bieden | functie-eisen | jouw profiel | wie zijn wij | over ons | wat vragen wij |
            arbeidsvoorwaarden""",
        1: """responsibilities | requirements | duties | main duties | the role | salary |
            location | job title | position | contract | start date | closing date | reports to |
            department | missions | avantages | aufgaben | responsabilidades | requisitos |
            funciones | taken | qualifications""",
    },
    "readme": {
        2: """installation | install | usage | getting started | quick start | quickstart |
            contributing | license | licence | running the tests | running tests | build from
            source | building | development setup | table of contents | changelog | api
            reference""",
        1: """features | requirements | prerequisites | configuration | examples | example |
            documentation | roadmap | acknowledgements | acknowledgments | support | testing |
            dependencies | overview | build | test | tests | run | endpoints | environment
            variables""",
    },
    "invoice": {
        3: """invoice | tax invoice | amount due | balance due | total due | rechnung | facture |
            factura | fatura | factuur | nota fiscal""",
        2: """bill to | billed to | invoice number | invoice no | invoice # | invoice date |
            subtotal | sub-total | rechnungsnummer | rechnungsdatum | numero de facture | date de
            facture | numero de factura | factuurnummer | factuurdatum | total ttc | total ht |
            gesamtbetrag | importe total | total a pagar | te betalen""",
        1: """total | vat | tax | due date | payment terms | ship to | qty | quantity | unit price |
            amount | iban | bic | swift | mwst | ust | tva | iva | btw""",
    },
    "notes": {
        2: """agenda | attendees | action items | action points | meeting notes | minutes |
            meeting minutes | ordre du jour | compte rendu | tagesordnung | protokoll | teilnehmer |
            orden del dia | acta | asistentes | pauta | ata | notulen | aanwezig | actiepunten""",
        1: """participants | present | absent | apologies | action | feedback | aob | any other
            business | actions | next steps | decisions |
            discussion | notes | follow-ups | follow ups | to do | todo | to-do |
            prochaines etapes | nachste schritte | beschlusse | acuerdos | proximos pasos |
            participantes | proximos
            passos | besluiten""",
    },
    "email": {
        2: """from | to | subject | sent | cc | bcc | von | an | betreff | de | a | objet | asunto |
            para | assunto | van | aan | onderwerp""",
    },
    "recipe": {
        3: """ingredients | zutaten | ingredientes | ingredienten | ingredienti""",
        1: """method | directions | instructions | preparation | steps | zubereitung |
            preparacion | modo de preparo | preparo | bereiding | preparazione | serves |
            servings | prep time | cook time""",
    },
}


def _kind_heading_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for kind, by_weight in _KIND_HEADINGS.items():
        for weight, spec in by_weight.items():
            for phrase in _phrases(spec):
                table.setdefault(phrase, (kind, weight))
    return table


_KIND_HEADING = _kind_heading_table()
#: Labels that count only with something after the colon: e-mail headers ("From: Ann <a@b.c>")
#: and "Present: ..." (a resume's date range may end on a line "Present" of its own).
_NEEDS_CONTENT = frozenset(
    [phrase for phrase, (kind, _) in _KIND_HEADING.items() if kind == "email"] + ["present"]
)

# --- phrases anywhere ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    kind: str
    weight: int
    label: str
    pattern: re.Pattern[str]

    def found_in(self, folded: str) -> bool:
        """Whether the cue is in ``folded`` as whole words.

        The pattern starts with its literal text, so the regex engine can skip ahead to it; the
        word boundary before it is checked here (a leading look-behind makes every search about
        fifteen times slower). At most :data:`_MAX_CUE_TRIES` places are looked at.
        """
        for tries, match in enumerate(self.pattern.finditer(folded)):
            start = match.start()
            if start == 0 or not _WORD_BEFORE.match(folded, start - 1):
                return True
            if tries >= _MAX_CUE_TRIES:
                break
        return False


_SPACE = r"[ \t]+"
_WORD_BEFORE = re.compile(r"[\w@]")
_MAX_CUE_TRIES = 32


def _cues(kind: str, weight: int, spec: str, *, multiline: bool = False) -> list[_Cue]:
    """One cue per regex in ``spec``, separated by `` | `` (a bar between blanks; bars inside a
    regex have none). They run on folded text, as whole words."""
    flags = re.MULTILINE if multiline else 0
    out = []
    for part in re.split(r"\s\|\s", spec):
        body = " ".join(part.split())
        if body:
            spaced = body.replace(" ", _SPACE)
            pattern = re.compile(rf"{spaced}(?!\w)", flags)
            out.append(_Cue(kind, weight, _readable(body), pattern))
    return out


def _readable(body: str) -> str:
    """A cue's regex as a phrase for people: "(?:is|are) looking for (?:a|an)" -> "is looking
    for a"."""
    text = re.sub(r"\(\?:([^()]*)\)[?+]?(?:\{[\d,]+\})?", lambda m: m.group(1).split("|")[0], body)
    text = re.sub(r"\[[^\]]*\](?:\{[\d,]+\}|[+*?])?", "…", text)
    text = text.replace("\\d+", "N").replace("\\", "")
    return re.sub(r"[?^$]|(?<=\w)\+", "", text).strip()


#: Phrases that give a kind of document away wherever they are in the (folded) text.
_PHRASE_CUES: list[_Cue] = [
    # job advertisements
    *_cues(
        "job_ad",
        2,
        r"""we are looking for | we're looking for | we are seeking | we're seeking |
        we are hiring | we're hiring | (?:is|are) hiring | (?:is|are) looking for (?:a|an) |
        (?:is|are) seeking (?:a|an) | we need (?:a|an) | join our | join us |
        as an? (?:[\w/-]+ ){1,5}you will | as an? (?:[\w/-]+ ){1,5}you'll | the ideal candidate |
        the successful candidate |
        equal opportunity employer | equal opportunities employer | how to apply | apply now |
        apply today | apply online | apply via | apply here | apply through | please apply |
        click apply | no experience (?:needed|required|necessary) |
        submit your (?:resume|cv|application) | send your (?:resume|cv|application) |
        competitive salary | salary range | per annum | you will be responsible | you'll be
        responsible | in this role,? you | nous recherchons | rejoignez | poste a pourvoir |
        envoyez votre cv | postulez | wir suchen | bewirb dich | bewerben sie sich | ihre
        bewerbung | wir freuen uns auf | \(m/w/d\) | \(w/m/d\) | \(m/f/d\) | buscamos |
        unete a | envia tu cv | se ofrece | procuramos | estamos a procura | candidate-se |
        envie seu curriculo | wij zoeken | solliciteer | jouw profiel | wij bieden""",
    ),
    *_cues(
        "job_ad",
        1,
        r"""you will | you'll | you have | you are | your responsibilities | requirements: |
        preferred | our team | our company | our client | our mission | our customers |
        nice to have | must have | at least
        \d+\+? years | minimum of \d+ years | \d+\+? years of (?:professional )?experience
        (?:is )?required | full-time | part-time | hybrid | remote-first | visa sponsorship |
        reporting to | per hour | must be (?:at least|able|authori[sz]ed|eligible) | vous serez |
        vous avez | sie haben | du hast | tu seras | voce tera""",
    ),
    # READMEs
    *_cues(
        "readme",
        2,
        r"""pip install | npm install | npm run | yarn add | cargo (?:add|install|build) | go get |
        go install | go build | go test | npm test | brew install | apt-get install | apt install |
        docker run | docker compose |
        git clone | make install | poetry add | python -m | licensed under | mit license |
        apache license | gnu general public license | pull requests? (?:are|is) welcome""",
    ),
    *_cues(
        "readme",
        1,
        r"""requirements\.txt | package\.json | pyproject\.toml | setup\.py | readme | pytest |
        localhost | \.env | usage: | open an issue | build status | environment variables""",
    ),
    # invoices
    *_cues(
        "invoice",
        2,
        r"""invoice number | invoice no | invoice date | amount due | balance due | total due |
        bill to | billed to | payment terms | please pay | payable within | net 30 | net 14 |
        unit price | subtotal | rechnungsnummer | zahlbar innerhalb | montant du | a payer |
        numero de factura | base imponible | factuurnummer | te betalen""",
    ),
    *_cues("invoice", 1, r"""invoice | vat | iban | mwst | tva | btw | iva | qty"""),
    # meeting notes and to-do lists
    *_cues(
        "notes",
        2,
        r"""meeting notes | meeting minutes | minutes of the (?:last |previous )?meeting | action
        items | action points | next meeting | meeting closed | ordre du jour | compte rendu |
        tagesordnung | nachste schritte |
        orden del dia | proximos pasos | proximos passos | actiepunten | notulen""",
    ),
    *_cues("notes", 1, r"""agenda | attendees | follow up | follow-up"""),
    # letters
    *_cues(
        "cover_letter",
        3,
        r"""^dear | ^to whom it may concern | ^madame | ^monsieur | ^sehr geehrte |
        ^estimad[oa]s? | ^prezad[oa]s? | ^geachte | ^gentile""",
        multiline=True,
    ),
    *_cues(
        "cover_letter",
        2,
        r"""i am writing to | i'm writing to | i am excited to apply | i am pleased to apply | i
        would like to apply | i wish to apply | i am applying for | i'm applying for | cover
        letter | letter of recommendation | i recommend | ^sincerely | ^yours sincerely | ^yours
        faithfully | ^yours truly | ^kind regards | ^best regards | ^warm regards | ^with best
        regards | ^respectfully | je vous prie d'agreer | veuillez agreer | salutations
        distinguees | ^cordialement | lettre de motivation | mit freundlichen grussen |
        hiermit bewerbe ich mich | ^atentamente | saludos cordiales | un cordial saludo | carta
        de presentacion | me dirijo a | ^atenciosamente | carta de apresentacao | venho por meio
        | met vriendelijke groet | hierbij solliciteer ik | sollicitatiebrief | motivatiebrief |
        distinti saluti""",
        multiline=True,
    ),
    *_cues(
        "cover_letter",
        1,
        r"""i look forward to | thank you for your (?:time|consideration) | hiring manager | your
        company | your team | your organi[sz]ation | please find attached | please find enclosed |
        attached (?:is )?my (?:resume|cv) | enclosed (?:is )?my (?:resume|cv) | the position of |
        application for | apply for the (?:position|role) | i would welcome the opportunity |
        je me permets | ich freue mich""",
    ),
    # e-mails
    *_cues(
        "email",
        2,
        r"""-----original message----- | forwarded message | sent from my (?:iphone|ipad|phone) |
        on .{1,80} wrote: | ^re: | ^fw: | ^fwd:""",
        multiline=True,
    ),
    *_cues(
        "email",
        1,
        r"""^(?:hi|hello|hey|hallo|bonjour|hola|ola|hoi) [^\n]{1,30}[,!]?$ |
        ^(?:thanks|thank you|cheers|best|regards|many thanks|thx)[,!.]?$""",
        multiline=True,
    ),
    # recipes
    *_cues(
        "recipe",
        2,
        r"""preheat | prep time | cook time | cooking time | serves \d+ | servings |
        tablespoons? | teaspoons? | tbsp | tsp | backofen vorheizen | prechauffer | precalentar |
        preaquecer | voorverwarm""",
    ),
    *_cues(
        "recipe",
        1,
        r"""oven | simmer | whisk | stir | bake | baking | sprinkle | season with | pinch of |
        salt and pepper | minutes or until | until golden""",
    ),
]

#: Measures written the way recipes write them ("200 g", "2 cups", "1/2 tsp").
_RECIPE_MEASURE = re.compile(
    r"(?<![\w.])\d+(?:[.,/]\d+)?[ \t]?"
    r"(?:g|kg|ml|cl|dl|l|oz|lb|lbs|cups?|tbsp|tsp|el|tl|cs|cc)(?![/\w])"
)
#: Amounts of money ("€1,250.00", "1.250,00 EUR", "$ 99").
_MONEY = re.compile(
    r"(?:[$€£¥]|\b(?:usd|eur|gbp|chf|brl|sek|pln))[ \t]?\d[\d,. ]{0,12}\d"
    r"|\d[\d,.]{0,12}\d[ \t]?(?:[$€£]|\b(?:usd|eur|gbp|chf|brl|sek|pln)\b)"
)
#: A line that ends in an amount with cents ("Subtotal   50.96", "Total TTC 912,00 €").
_AMOUNT_LINE = re.compile(r"\d[.,]\d\d[ \t]{0,3}(?:[$€£]|eur|usd|gbp)?[ \t]*$", re.MULTILINE)
#: Addresses of a company desk, not a person.
_ROLE_ADDRESS = re.compile(
    r"^(?:jobs?|careers?|hiring|recruit\w{0,10}|talent|hr|apply|applications?|bewerbung\w{0,5}|"
    r"rh|empleo|vacatures|stellen|karriere|billing|invoices?|accounts?|sales|info|support|"
    r"noreply|no-reply|office|contact|hello|team|privacy|legal|dpo|admin|webmaster|press|"
    r"marketing|orders?|service|customerservice|help|enquiries|inquiries|newsletter|news|"
    r"notifications?|mail|shop|store|bookings?|reservations?)@"
)
_HIRING_ADDRESS = re.compile(
    r"^(?:jobs?|careers?|hiring|recruit\w{0,10}|talent|hr|apply|applications?|bewerbung\w{0,5}|"
    r"rh|empleo|vacatures|stellen|karriere)@"
)
_BILLING_ADDRESS = re.compile(r"^(?:billing|invoices?|accounts?)@")

# --- resume evidence anywhere -------------------------------------------------------------------

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_PRESENT = (
    r"(?:present|now|current|currently|today|date|ongoing|heute|jetzt|aktuell|dato|"
    r"aujourd'hui|actuel|actuellement|actualidad|presente|hoy|actual|atual|atualmente|"
    r"momento|heden|nu|huidig|oggi|attuale|obecnie|nuvarande|настоящее время|наст\. время)"
)
#: A range of dates: "2019 – 2022", "Jan 2021 – Present", "01/2020 to present", "2017/04 -
#: 2018/10", "2008  2010" (a dash lost in extraction), "Sep 2006 - June 2010", "2019-03 – 2021-07".
_DATE_RANGE = re.compile(
    rf"(?<!\d)({_YEAR})(?:[./-]\d{{1,2}})?[ \t]{{0,3}}\n?[ \t]{{0,3}}"
    rf"(?:[-–—−‒~→›»]|->|=>|to|till|until|bis|a|au|al|ate|tot|t/m)?[ \t]{{0,3}}\n?[ \t]{{0,3}}"
    rf"(?:(?:[^\W\d_]{{3,10}}\.?|\d{{1,2}}[./])[ \t]{{0,2}})?"
    rf"(?:({_YEAR})(?!\d)|{_PRESENT}(?!\w))",
    re.IGNORECASE,
)
#: "since 2019", "seit 2019", "depuis 2019", "desde 2019", "sinds 2019".
_SINCE = re.compile(
    rf"\b(?:since|seit|depuis|desde|sinds|dal)[ \t]+(?:[^\W\d_]{{3,10}}[ \t]+)?"
    rf"{_YEAR}(?!\d)"
)
_DATE_TIME = re.compile(r"(?:19|20)\d\d[-./]\d\d?[-./]\d\d?(?!\d)")
_PROFILE_LINK = re.compile(
    r"linkedin\.com/|github\.com/|gitlab\.com/|behance\.net/|dribbble\.com/|xing\.com/|"
    r"stackoverflow\.com/users|orcid\.org/|scholar\.google"
)
_CONTACT_LABEL = re.compile(
    r"^\W{0,4}(?:phone|tel|telephone|telefon|telefone|telefono|mobile|mobil|cell|cellphone|"
    r"handy|movil|celular|gsm|e-?mail|correo|courriel|linkedin|github|whatsapp|telegram|skype|"
    r"address|adresse|direccion|endereco|adres|website|portfolio)\b[^\n]{0,3}[:|]"
    r"|[☎✉✆📞📱📧]",
    re.MULTILINE,
)
_PERSONAL = re.compile(
    r"\b(?:date of birth|born|nationality|citizenship|marital status|driving licen[cs]e|"
    r"driver'?s licen[cs]e|age:|geburtsdatum|geboren|staatsangehorigkeit|familienstand|"
    r"fuhrerschein|date de naissance|nee? le|nationalite|permis [ab]\b|fecha de nacimiento|"
    r"nacionalidad|estado civil|data de nascimento|nacionalidade|geboortedatum|nationaliteit|"
    r"rijbewijs|data di nascita)"
)
#: Words of a career, for texts with no other resume evidence (distinct stems are counted).
_CAREER = re.compile(
    r"\b(?:experienc\w*|worked|working|develop\w*|engineer\w*|manag\w*|analyst|consultant|"
    r"designer|teacher|nurse|assistant|intern\w*|universit\w*|college|degree|bachelor\w*|"
    r"master\w*|phd|diploma|graduat\w*|certifi\w*|skills?|proficien\w*|responsib\w*|"
    r"projects?|career|employ\w*|position|programm\w*|ingenieur\w*|developpeur|diplom\w*|"
    r"licence|stage|competences|erfahrung|entwickler|hochschule|studium|abschluss|kenntnisse|"
    r"praktikum|experiencia|ingeniero|desarrollador|universidad|licenciatura|practicas|"
    r"engenheiro|desenvolvedor|universidade|faculdade|estagio|ervaring|ontwikkelaar|"
    r"hogeschool|opleiding)\b"
)

#: Second-person and company pronouns (job ads) and first-person ones (letters, some resumes).
_YOU_WE = frozenset(
    _phrases(
        """you | your | you'll | you're | yours | we | we're | we've | our | us | vous | votre |
        vos | nous | notre | nos | wir | unser | unsere | unseren | unserem | du | dein | deine |
        dich | nuestro | nuestra | nuestros | nuestras | tu | tus | voce | nosso | nossa |
        nossos | jij | jouw | wij | onze"""
    )
)
_I_MY = frozenset(
    _phrases(
        """i | my | me | i'm | i've | mine | je | j'ai | mon | ma | mes | ich | mein | meine |
        mich | mir | yo | mi | mis | eu | meu | minha | ik | mijn"""
    )
)

#: Distinctive words of lorem ipsum (not "et", "in", "non", which are words of real languages).
_LOREM_TEXT = """lorem ipsum dolor amet consectetur consectetuer adipiscing adipisicing elit
    eiusmod tempor
    incididunt labore dolore magna aliqua veniam nostrud exercitation ullamco laboris nisi
    aliquip commodo consequat duis aute irure reprehenderit voluptate velit esse cillum fugiat
    nulla pariatur excepteur sint occaecat cupidatat proident culpa officia deserunt mollit anim
    laborum vestibulum mauris phasellus pellentesque aliquam quisque donec nunc nibh integer
    curabitur suspendisse etiam vivamus morbi praesent nullam maecenas fusce cras egestas sapien
    tellus turpis ligula massa tortor feugiat risus lectus viverra tincidunt ultricies
    sollicitudin vulputate venenatis hendrerit fringilla dapibus rhoncus mattis euismod blandit
    nisl lacinia eleifend faucibus imperdiet pharetra"""
_LOREM = frozenset(_LOREM_TEXT.split())
_PLACEHOLDER = re.compile(
    r"\[(?:your|company|job|insert|name|date|city|phone|email|title|school|degree|position)"
    r"[^\]\n]{0,30}\]|\byour name here\b|\bcompany name\b|\bjob title here\b"
)

#: File-name words (folded) that say "resume", and words that say what else a file is.
_NAME_RESUME = frozenset(
    _phrases(
        """cv | cvs | resume | resumes | lebenslauf | curriculum | vitae | curriculo | levensloop"""
    )
)
_NAME_KIND = {
    **dict.fromkeys(["readme", "changelog", "install", "docs"], "readme"),
    **dict.fromkeys(["invoice", "rechnung", "facture", "factura", "factuur", "bill"], "invoice"),
    **dict.fromkeys(
        ["jd", "job", "jobs", "vacancy", "posting", "stellenanzeige", "offre"], "job_ad"
    ),
    **dict.fromkeys(["cover", "motivation", "anschreiben", "letter"], "cover_letter"),
    **dict.fromkeys(["minutes", "agenda", "meeting", "notes", "todo"], "notes"),
    **dict.fromkeys(["recipe", "rezept", "recette", "receta"], "recipe"),
}
_NAME_TOKEN = re.compile(r"[^\W\d_]+")

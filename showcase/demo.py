"""The demo event: a GDSC-style international showcase with tracks, rubric, entries, judges, sheets."""

import random

from showcase import organizing
from showcase.assigning import Candidate, plan_assignments
from showcase.cache import Boards
from showcase.db import Database
from showcase.models import NewEntry, NewJudge, RubricCriterion

EVENT_NAME = "GDSC Solution Challenge Showcase — Seoul AI Week"

# The ranking method of a new event: the best at recovering the truth in bench/fidelity.py.
DEFAULT_METHOD = "calibrated"

DEFAULT_RUBRIC = [
    RubricCriterion(
        key="impact",
        name={"en": "Impact", "ko": "임팩트"},
        description={
            "en": "How much the project could improve people's lives, and for how many.",
            "ko": "이 프로젝트가 얼마나 많은 사람의 삶을 얼마나 나아지게 할 수 있는가.",
        },
        weight=3,
        min=1,
        max=5,
        labels={
            "en": ["Unclear", "Narrow", "Real", "Significant", "Transformative"],
            "ko": ["불분명", "제한적", "실질적", "상당함", "혁신적"],
        },
    ),
    RubricCriterion(
        key="technology",
        name={"en": "Technology", "ko": "기술"},
        description={
            "en": "The quality and ambition of the engineering, and how well AI is used.",
            "ko": "엔지니어링의 완성도와 도전 수준, 그리고 AI를 얼마나 잘 활용했는가.",
        },
        weight=2,
        min=1,
        max=5,
        labels={
            "en": ["Mock-up", "Basic", "Solid", "Advanced", "Exceptional"],
            "ko": ["목업", "기본", "탄탄함", "고급", "탁월함"],
        },
    ),
    RubricCriterion(
        key="design",
        name={"en": "Design", "ko": "디자인"},
        description={
            "en": "How easy and pleasant the product is to use, for everyone it serves.",
            "ko": "모든 사용자에게 제품이 얼마나 쉽고 즐겁게 쓰이는가.",
        },
        weight=2,
        min=1,
        max=5,
        labels={
            "en": ["Confusing", "Rough", "Clear", "Polished", "Delightful"],
            "ko": ["혼란스러움", "거침", "명확함", "세련됨", "즐거움"],
        },
    ),
    RubricCriterion(
        key="feasibility",
        name={"en": "Feasibility", "ko": "실현 가능성"},
        description={
            "en": "Whether the team can take it to real users: a plan, a path, evidence.",
            "ko": "실제 사용자에게 닿을 수 있는가: 계획, 경로, 근거.",
        },
        weight=2,
        min=1,
        max=5,
        labels={
            "en": ["Unlikely", "Doubtful", "Plausible", "Likely", "Proven"],
            "ko": ["어려움", "의문", "그럴듯함", "유력함", "입증됨"],
        },
    ),
    RubricCriterion(
        key="presentation",
        name={"en": "Presentation", "ko": "발표"},
        description={
            "en": "How clearly the team explains the problem, the demo and what comes next.",
            "ko": "문제, 데모, 다음 단계를 팀이 얼마나 명확하게 설명하는가.",
        },
        weight=1,
        min=1,
        max=5,
        labels={
            "en": ["Hard to follow", "Patchy", "Clear", "Compelling", "Memorable"],
            "ko": ["따라가기 어려움", "군데군데 빈틈", "명확함", "설득력 있음", "인상적임"],
        },
    ),
]

HEALTH, EDUCATION, CLIMATE = "Good Health and Well-being", "Quality Education", "Climate Action"

# code, title, team, track, affiliation, country, members, description
ENTRIES = [
    (
        "H01",
        "MediBridge",
        "Bridge Builders",
        HEALTH,
        "Seoul National University",
        "Korea",
        "Jiwoo Kim, Minseo Park, Daniel Cho",
        "Connects rural clinics with volunteer medical interpreters over low-bandwidth video.",
    ),
    (
        "H02",
        "마음쉼터 (MindRest)",
        "Team Haneul",
        HEALTH,
        "Yonsei University",
        "Korea",
        "Seo-yeon Lee, Hyun-woo Jang",
        "익명 또래 상담과 AI 감정 일기로 대학생의 정신 건강을 돕습니다. Anonymous peer support and an AI mood journal for students.",
    ),
    (
        "H03",
        "SightLine",
        "Lumen",
        HEALTH,
        "National University of Singapore",
        "Singapore",
        "Wei Ling Tan, Arjun Nair, Chloe Lim",
        "Screens for diabetic retinopathy from a phone camera with a clip-on lens.",
    ),
    (
        "H04",
        "DoseWise",
        "Pill Pals",
        HEALTH,
        "University of Tokyo",
        "Japan",
        "Haruto Sato, Yui Tanaka",
        "Medication reminders that older adults can answer by voice, with alerts to family.",
    ),
    (
        "H05",
        "MamaCare",
        "Ubuntu Devs",
        HEALTH,
        "University of Lagos",
        "Nigeria",
        "Chioma Okafor, Tunde Bello, Amaka Eze",
        "Prenatal check-in reminders and danger-sign triage over SMS for expectant mothers.",
    ),
    (
        "H06",
        "AirQ Kids",
        "Breathe Easy",
        HEALTH,
        "Indian Institute of Technology Bombay",
        "India",
        "Priya Sharma, Rohan Mehta",
        "Asthma action plans that adapt to the day's air quality at a child's school.",
    ),
    (
        "H07",
        "FirstAid Lens",
        "Rescue Ready",
        HEALTH,
        "Universidade de São Paulo",
        "Brazil",
        "Lucas Oliveira, Mariana Souza, Pedro Lima",
        "Point the camera at an injury and get step-by-step first-aid guidance offline.",
    ),
    (
        "H08",
        "SignSpeak Clinic",
        "Hands Up",
        HEALTH,
        "KAIST",
        "Korea",
        "Do-yoon Han, Ji-ho Choi",
        "Real-time sign-language interpretation for deaf patients at hospital reception.",
    ),
    (
        "E01",
        "StudyBuddy",
        "Peer Power",
        EDUCATION,
        "Universitas Indonesia",
        "Indonesia",
        "Putri Lestari, Budi Santoso, Ayu Wulandari, Rizky Pratama",
        "Matches students for peer tutoring by learning style and schedule.",
    ),
    (
        "E02",
        "한글놀이 (HangulPlay)",
        "Team Sejong",
        EDUCATION,
        "Korea University",
        "Korea",
        "Ye-jin Yoon, Seung-min Kang",
        "다문화 가정 아이들을 위한 놀이형 한글 학습 앱. Playful Korean literacy for children of multicultural families.",
    ),
    (
        "E03",
        "CodeCamp Offline",
        "Byte Bus",
        EDUCATION,
        "Makerere University",
        "Uganda",
        "Grace Nansubuga, Isaac Okello",
        "Programming lessons that sync through a single shared laptop when a village has no internet.",
    ),
    (
        "E04",
        "LabSim",
        "Beaker",
        EDUCATION,
        "Universidad Nacional Autónoma de México",
        "Mexico",
        "Sofía Hernández, Diego Ramírez, Valentina Cruz",
        "Virtual chemistry labs for schools that cannot afford equipment.",
    ),
    (
        "E05",
        "ReadAloud AI",
        "Storytellers",
        EDUCATION,
        "University of the Philippines Diliman",
        "Philippines",
        "Andrea Santos, Miguel Reyes",
        "Listens to a child read and gives gentle pronunciation feedback in Filipino and English.",
    ),
    (
        "E06",
        "MathQuest",
        "Pi Squad",
        EDUCATION,
        "Hanoi University of Science and Technology",
        "Vietnam",
        "Nguyen Minh Anh, Tran Quoc Bao, Le Thu Ha",
        "Adaptive math practice that turns the curriculum into a quest map.",
    ),
    (
        "E07",
        "CareerCompass",
        "Pathfinders",
        EDUCATION,
        "University of Nairobi",
        "Kenya",
        "Wanjiru Kamau, Brian Otieno",
        "Guides first-generation students through university applications and scholarships.",
    ),
    (
        "E08",
        "ClassCaption",
        "Open Ears",
        EDUCATION,
        "Seoul National University",
        "Korea",
        "Min-jun Lee, Ha-eun Song",
        "Live captions and summaries of lectures for hard-of-hearing students.",
    ),
    (
        "C01",
        "숲지기 (ForestKeeper)",
        "Green Guardians",
        CLIMATE,
        "KAIST",
        "Korea",
        "Jae-won Lim, Soo-ah Baek",
        "산불 위험을 위성 사진으로 예측합니다. Predicts wildfire risk from satellite images.",
    ),
    (
        "C02",
        "FloodWatch",
        "Rainmakers",
        CLIMATE,
        "Bangladesh University of Engineering and Technology",
        "Bangladesh",
        "Farhan Rahman, Nusrat Jahan, Tahmid Hasan",
        "Community flood alerts from river sensors and crowd reports.",
    ),
    (
        "C03",
        "SolarShare",
        "Sunny Side",
        CLIMATE,
        "University of Cape Town",
        "South Africa",
        "Thabo Nkosi, Lerato Mokoena",
        "Peer-to-peer trading of rooftop solar power between neighbours.",
    ),
    (
        "C04",
        "FarmSense",
        "Root Cause",
        CLIMATE,
        "Indian Institute of Technology Bombay",
        "India",
        "Ananya Iyer, Karthik Rao",
        "Soil-moisture forecasts that tell smallholder farmers when to irrigate.",
    ),
    (
        "C05",
        "WasteLess",
        "Zero Heroes",
        CLIMATE,
        "National Taiwan University",
        "Taiwan",
        "Chen Yu-ting, Lin Wei-jie",
        "Photographs a bin's contents and teaches households to sort their recycling.",
    ),
    (
        "C06",
        "CoolRoofs",
        "Heat Busters",
        CLIMATE,
        "Universidad de Buenos Aires",
        "Argentina",
        "Martina López, Tomás García",
        "Maps urban heat islands and ranks the roofs where white paint helps most.",
    ),
    (
        "C07",
        "TransitGreen",
        "Route 0",
        CLIMATE,
        "Yonsei University",
        "Korea",
        "Eun-ji Kwon, Tae-yang Shin",
        "Rewards commuters for low-carbon trips with local shop discounts.",
    ),
    (
        "C08",
        "ReefWatch",
        "Blue Tide",
        CLIMATE,
        "Universiti Malaya",
        "Malaysia",
        "Nur Aisyah, Hafiz Ismail, Mei Ling Wong",
        "Divers' photos become coral-bleaching maps for marine parks.",
    ),
]

JUDGES = [
    NewJudge(
        name="Dr. Soo-jin Park",
        email="soojin.park@example.com",
        affiliation="Seoul National University",
        country="Korea",
    ),
    NewJudge(
        name="Ethan Walker", email="ethan.walker@example.com", affiliation="Google", country="USA"
    ),
    NewJudge(
        name="Min-ho Choi",
        email="minho.choi@example.com",
        affiliation="Naver Cloud",
        country="Korea",
    ),
    NewJudge(
        name="Aiko Yamamoto",
        email="aiko.yamamoto@example.com",
        affiliation="University of Tokyo",
        country="Japan",
    ),
    NewJudge(
        name="Priya Raman",
        email="priya.raman@example.com",
        affiliation="Google DeepMind",
        country="India",
    ),
    NewJudge(
        name="Ji-hye Seo", email="jihye.seo@example.com", affiliation="Kakao", country="Korea"
    ),
    NewJudge(
        name="Oluwaseun Adeyemi",
        email="seun.adeyemi@example.com",
        affiliation="Andela",
        country="Nigeria",
    ),
    NewJudge(
        name="Camila Torres",
        email="camila.torres@example.com",
        affiliation="Mercado Libre",
        country="Argentina",
    ),
    NewJudge(
        name="Prof. Hyun-seok Lee", email="hs.lee@example.com", affiliation="KAIST", country="Korea"
    ),
]

HARSH, LENIENT = "Min-ho Choi", "Camila Torres"
PER_ENTRY = 3


def demo_entries() -> list[NewEntry]:
    entries = []
    for table, row in enumerate(ENTRIES, start=1):
        code, title, team, track, affiliation, country, members, description = row
        slug = title.split(" (")[-1].rstrip(")").lower().replace(" ", "")
        entries.append(
            NewEntry(
                code=code,
                title=title,
                team=team,
                track=track,
                description=description,
                members=members,
                affiliation=affiliation,
                country=country,
                table=str(table),
                repo_url=f"https://github.com/example/{slug}",
                video_url=f"https://video.example.org/{slug}" if table % 3 else "",
                demo_url=f"https://{slug}.example.org" if table % 4 else "",
            )
        )
    return entries


def demo_scores(
    pairs: list[tuple[int, str]], judge_names: dict[int, str], seed: int = 2026
) -> list[tuple[int, str, dict[str, float], str]]:
    """Sheets for about half of the assignments: a true quality per entry, a bias per judge, noise."""
    rng = random.Random(seed)
    quality = {code: rng.uniform(2.2, 4.6) for _, code in pairs}
    bias = {judge_id: rng.uniform(-0.3, 0.3) for judge_id in judge_names}
    for judge_id, name in judge_names.items():
        bias[judge_id] = {HARSH: -1.1, LENIENT: 0.9}.get(name, bias[judge_id])
    sheets = []
    for judge_id, code in pairs:
        if rng.random() >= 0.5:
            continue
        scores = {}
        for criterion in DEFAULT_RUBRIC:
            raw = quality[code] + bias[judge_id] + rng.gauss(0, 0.5)
            scores[criterion.key] = float(min(criterion.max, max(criterion.min, round(raw))))
        sheets.append((judge_id, code, scores, ""))
    return sheets


async def seed_demo(db: Database) -> None:
    """Fills an event that has just been created with the demo showcase."""
    actor = "demo"
    entries = demo_entries()
    await organizing.add_entries(db, entries, actor)
    ids = await organizing.add_judges(db, JUDGES, actor)
    plan = plan_assignments(
        [Candidate(key=e.code, affiliation=e.affiliation) for e in entries],
        [
            Candidate(key=judge_id, affiliation=j.affiliation)
            for judge_id, j in zip(ids, JUDGES, strict=True)
        ],
        PER_ENTRY,
    )
    await organizing.assign_visits(db, plan.pairs, plan.conflicts, PER_ENTRY, actor)
    names = {judge_id: judge.name for judge_id, judge in zip(ids, JUDGES, strict=True)}
    await organizing.seed_sheets(db, demo_scores(plan.pairs, names), actor)
    await organizing.set_judging(db, True, actor)
    await organizing.set_visibility(db, Boards(), "live", actor)

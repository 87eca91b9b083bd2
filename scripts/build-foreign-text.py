#!/usr/bin/env python3
"""Builds data/foreign/foreign-text.csv, the router's foreign-text evaluation set (never trained on).

Sources are Debian packages at pinned versions (see data/foreign/SOURCE.md for their licences), unpacked by
scripts/build-foreign-text.sh into the folder given as the first argument, plus lines this project wrote itself
(small talk) and lines it generates (gibberish, fixed seed). Selection is deterministic: the same packages give the
same file.
"""
import csv, gzip, random, re, sys
from pathlib import Path

root = Path(sys.argv[1])
out = Path(sys.argv[2])
rows = []

def take(lines, count):
    lines = sorted(set(l for l in lines if 8 <= len(l) <= 160))
    if len(lines) <= count:
        return lines
    step = len(lines) / count
    return [lines[int(i * step)] for i in range(count)]

def fortunes(path):
    text = path.read_text(encoding='utf-8', errors='replace')
    for entry in text.split('\n%\n'):
        one = ' '.join(l.strip() for l in entry.strip().splitlines())
        if one and '\t' not in entry.strip().splitlines()[0] and not one.startswith(('--', '-- ')):
            yield re.sub(r'\s+--\s.*$', '', one).strip()

# Other domains' questions: the Debian FAQ's question headings, and fortune's riddles (their "Q:" lines).
faq = gzip.open(root / 'debian-faq/usr/share/doc/debian/FAQ/debian-faq.en.txt.gz', 'rt', encoding='utf-8').read()
questions = [re.sub(r'^\s*[0-9.]+\s+', '', l).strip() for l in faq.splitlines() if re.match(r'^\s*[0-9]+(\.[0-9]+)+\.\s+.*\?\s*$', l)]
rows += [(q, 'other-domain', 'debian-faq 11.1') for q in take(questions, 140)]
riddles = (root / 'fortunes-min/usr/share/games/fortunes/riddles').read_text(encoding='utf-8', errors='replace')
qs = [l.split('\t', 1)[1].strip() for l in riddles.splitlines() if l.startswith('Q:\t')]
rows += [(q, 'other-domain', 'fortunes-min 1:1.99.1-7.3 (riddles)') for q in take(qs, 60)]

# Chit-chat and quotations: short fortunes in English.
english = list(fortunes(root / 'fortunes-min/usr/share/games/fortunes/fortunes'))
rows += [(t, 'chit-chat', 'fortunes-min 1:1.99.1-7.3 (fortunes)') for t in take(english, 150)]

# Other languages: Spanish proverbs and Italian fortunes (both presumed public domain by their packages).
spanish = []
for name in ('refranes.fortunes', 'proverbios.fortunes'):
    spanish += list(fortunes(root / 'fortunes-es/usr/share/games/fortunes/es' / name))
rows += [(t, 'non-english', 'fortunes-es 1.36') for t in take(spanish, 100)]
italian = []
for path in sorted((root / 'fortunes-it/usr/share/games/fortunes/it').glob('*')):
    if path.is_file() and not path.name.endswith('.dat') and '-o' not in path.name:
        italian += list(fortunes(path))
rows += [(t, 'non-english', 'fortunes-it 1.99-4.1') for t in take(italian, 100)]

# Small talk a support inbox gets, written for this set by the project.
small_talk = [
    "hi", "hello there", "good morning!", "hey, anyone there?", "thanks a lot", "thank you so much, bye",
    "ok", "lol", "how are you today?", "what's your name?", "are you a robot?", "are you a real person?",
    "tell me a joke", "what's the weather like tomorrow?", "who won the game last night?", "I love pizza",
    "can you recommend a good movie?", "what time is it in Tokyo?", "happy new year!", "merry christmas to the team",
    "you guys are great", "this is a test message, please ignore", "test", "asdf", "?", "...",
    "what is the meaning of life?", "do you like music?", "sing me a song", "I'm bored",
    "where can I buy cheap flights to Rome?", "how do I cook pasta al dente?", "what is the capital of Australia?",
    "how many legs does a spider have?", "my cat keeps scratching the sofa, any tips?", "how do I fix a flat bike tyre?",
    "which laptop should I buy for gaming?", "how do I reset my wifi router?", "my printer is not printing, help",
    "can you translate 'good night' into French?", "what's 17 times 23?", "recommend a book about history",
    "how long do I boil an egg?", "is it going to rain this weekend?", "what's a good name for a dog?",
    "I want to unsubscribe from your newsletter", "please stop sending me marketing emails", "who is your CEO?",
    "are you hiring? I'd like to apply for a job", "I'd like to speak at your conference", "do you sponsor football teams?",
    "congratulations on the new office!", "my package from another shop hasn't arrived", "how do I install Windows 11?",
    "what is the best programming language to learn?", "how do I lose weight fast?", "what's the score of the match?",
    "good night", "see you later", "nice to meet you",
]
rows += [(t, 'small-talk', 'written for this set (SupportConsole project)') for t in small_talk]

# Gibberish: random letters and keyboard runs, fixed seed.
rng = random.Random(15)
letters = 'abcdefghijklmnopqrstuvwxyz'
keyboard = ['qwerty', 'asdfgh', 'zxcvbn', 'uiop', 'jkl', 'hjkl', 'wasd', 'mnbv']
gibberish = []
for i in range(100):
    if i % 3 == 0:
        words = [''.join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(rng.randint(1, 7))]
    elif i % 3 == 1:
        words = [rng.choice(keyboard) * rng.randint(1, 3) for _ in range(rng.randint(1, 4))]
    else:
        words = [''.join(rng.choice(letters + '0123456789!?#') for _ in range(rng.randint(3, 12))) for _ in range(rng.randint(1, 5))]
    gibberish.append(' '.join(words))
rows += [(t, 'gibberish', 'generated (seed 15) by scripts/build-foreign-text.py') for t in gibberish]

seen = set()
with out.open('w', newline='', encoding='utf-8') as f:
    writer = csv.writer(f, lineterminator='\n')
    writer.writerow(['text', 'kind', 'source'])
    for text, kind, source in rows:
        if text not in seen:
            seen.add(text)
            writer.writerow([text, kind, source])
print(f'wrote {len(seen)} rows to {out}')

"""
Reference simulation for `npm run bench:ranking -- --reference`: ASReview's models re-created with
scikit-learn, run on the same datasets from the same prior knowledge as bench:ranking, so the two
implementations are compared pair by pair. Not part of the build or the tests.

Protocol (as src/screening/ranking/simulate.ts): text = title + " " + abstract; the two prior records given
by bench:ranking; retrain after every record; screen the highest score next; stop when every include is
found. WSS@95, RRF@10 and ATD over the records after the priors (src/screening/ranking/metrics.ts).

Models (ASReview's configurations; ASReview itself is not installed):
  u4   TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_df=0.95) + LinearSVC(C=0.11) with
       Balanced(ratio=9.8) sample weights: ASReview 2's default model, ELAS u4
  u4r1 the same with ratio 1 (includes and excludes weigh the same in total, as our default)
  nb   TfidfVectorizer(stop_words='english') + MultinomialNB(alpha=3.822) with Balanced(ratio=1):
       the naive Bayes + TF-IDF model behind the figures cited in the ranking issue

Input (stdin, JSON): {"labeledDir", "labelColumn", "models": [...], "datasets": [{"file", "included":
[0/1 per labelled row, in file order], "seeds": [{"seed", "priors": [row, ...]}]}]}.
Output (stdout, JSON): {"<model>": {"<file>": [{"seed", "wss95", "rrf10", "atd", "seconds"}]}}.

Needs scikit-learn and pandas: Debian's python3-sklearn and python3-pandas.
"""
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

MODELS = ('u4', 'u4r1', 'nb')


def features(texts, model):
    if model == 'nb':
        return TfidfVectorizer(stop_words='english').fit_transform(texts)
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_df=0.95).fit_transform(texts)


def balanced_weights(y, ratio):
    # ASReview's Balanced: includes weigh 1, excludes n1 / (ratio * n0), rescaled to sum to len(y).
    n1 = int(y.sum())
    n0 = len(y) - n1
    weights = np.where(y == 1, 1.0, n1 / (ratio * n0))
    return weights * (len(y) / weights.sum())


def scores(model, X, rows, y, seed):
    if model == 'nb':
        classifier = MultinomialNB(alpha=3.822)
        classifier.fit(X[rows], y, sample_weight=balanced_weights(y, 1.0))
        return classifier.predict_proba(X)[:, 1]
    classifier = LinearSVC(C=0.11, loss='squared_hinge', random_state=seed)
    classifier.fit(X[rows], y, sample_weight=balanced_weights(y, 9.8 if model == 'u4' else 1.0))
    return classifier.decision_function(X)


def metrics(labels, total):
    positions = [i + 1 for i, label in enumerate(labels) if label]
    needed = max(1, math.ceil(0.95 * len(positions) - 1e-9))
    screened = math.floor(0.1 * total + 1e-9)
    return {
        'wss95': (total - positions[needed - 1]) / total - 0.05,
        'rrf10': sum(1 for p in positions if p <= screened) / len(positions),
        'atd': sum(positions) / len(positions) / total,
    }


def simulate(X, included, model, seed, priors):
    labelled = list(priors)
    unlabelled = np.ones(len(included), dtype=bool)
    unlabelled[priors] = False
    found = int(included[priors].sum())
    order = []
    while found < included.sum():
        s = scores(model, X, labelled, included[labelled].astype(int), seed)
        row = int(np.argmax(np.where(unlabelled, s, -np.inf)))
        unlabelled[row] = False
        labelled.append(row)
        order.append(row)
        found += int(included[row])
    return metrics([included[row] for row in order], len(included) - len(priors))


def main():
    request = json.load(sys.stdin)
    unknown = [m for m in request['models'] if m not in MODELS]
    if unknown:
        sys.exit(f'unknown reference model(s) {unknown}; known: {", ".join(MODELS)}')
    results = {model: {} for model in request['models']}
    for dataset in request['datasets']:
        data = pd.read_csv(os.path.join(request['labeledDir'], dataset['file']), dtype=str, keep_default_na=False)
        data = data[data[request['labelColumn']].str.strip().isin(['0', '1'])]
        included = (data[request['labelColumn']].str.strip() == '1').to_numpy()
        if included.astype(int).tolist() != dataset['included']:
            sys.exit(f"{dataset['file']}: the labelled rows differ from bench:ranking's ({len(included)} vs {len(dataset['included'])}); cannot pair the runs")
        texts = (data['title'] + ' ' + data['abstract']).tolist()
        for model in request['models']:
            X = features(texts, model)
            runs = []
            for run in dataset['seeds']:
                started = time.time()
                figures = simulate(X, included, model, run['seed'], run['priors'])
                runs.append({'seed': run['seed'], **figures, 'seconds': time.time() - started})
            results[model][dataset['file']] = runs
            print(f"reference {model} {dataset['file']}: done", file=sys.stderr, flush=True)
    json.dump(results, sys.stdout)


if __name__ == '__main__':
    main()

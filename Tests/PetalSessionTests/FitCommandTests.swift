import Foundation
import Testing
@testable import PetalSession
import PetalData
import PetalML

/// pipeline → fit → report → evaluate → predict on iris, in text and JSON.
@Suite struct FitCommandTests {
    func fitted() -> Session {
        let s = irisSession()
        _ = s.execute("pipeline p = standard_scaler | knn k=3")
        return s
    }

    @Test func pipelineListsStepsWithDefaults() {
        let s = irisSession()
        let e = s.execute("pipeline p = standard_scaler | knn k=3")
        #expect(e.ok)
        #expect(e.renderText(width: 80).contains("knn  n_neighbors=3 weights=uniform metric=euclidean"))
        #expect(s.execute("pipeline q = knn | standard_scaler").renderText(width: 80).contains("ends with an estimator"))
        #expect(s.execute("pipeline q = standrd_scaler | knn").renderText(width: 80).contains("did you mean standard_scaler?"))
        for name in Steps.planned { #expect(s.execute("pipeline q = \(name)").renderText(width: 80).contains("not built yet")) }
        #expect(s.execute("pipeline q = knn neighbors=3").renderText(width: 80).contains("did you mean n_neighbors?"))
    }

    @Test func fitMatchesScikitLearnAndReports() {
        let s = fitted()
        let fit = s.execute("fit p on iris target=variety test=0.2 seed=42")
        #expect(fit.ok, "\(fit.renderText(width: 80))")
        let json = fit.json().serialized()
        #expect(json.contains("\"train_rows\": 120, \"test_rows\": 30"))
        #expect(json.contains("\"metrics\": {\"accuracy\": 1.0, \"f1_macro\": 1.0"))
        #expect(json.contains("\"run_id\": null"))
        let report = s.execute("report p").renderText(width: 80)
        #expect(report.contains("    accuracy                           1.00        30"))
        #expect(report.contains("versicolor       0           9          0"))
        #expect(report.contains("baseline (always versicolor): accuracy 0.3000"))
    }

    @Test func evaluateAndPredict() throws {
        let s = fitted()
        _ = s.execute("fit p on iris target=variety test=0 seed=1")
        #expect(s.execute("evaluate p on iris").json().serialized().contains("\"rows\": 150"))
        #expect(s.execute("predict p on iris as scored").ok)
        let scored = try s.dataset("scored").frame
        #expect(scored.columnNames.suffix(4) == ["predicted", "p_setosa", "p_versicolor", "p_virginica"])
    }

    @Test func errorsSayWhatToDo() {
        let s = fitted()
        #expect(s.execute("report p").renderText(width: 80).contains("fit p on DATASET target=COLUMN"))
        #expect(s.execute("fit p on iris").renderText(width: 80).contains("knn needs target=COLUMN"))
        #expect(s.execute("fit p on iris target=species").renderText(width: 80).contains("columns are:"))
        #expect(s.execute("fit p on iris target=variety test=2").renderText(width: 80).contains("less than 1"))
        #expect(s.execute("fit nope on iris target=variety").renderText(width: 80).contains("no pipeline called"))
        _ = s.execute("pipeline big = knn k=500")
        #expect(s.execute("fit big on iris target=variety").renderText(width: 80).contains("more than the 120 training rows"))
        _ = s.execute("open \(Repo.path("samples/penguins.csv"))")
        #expect(s.execute("fit p on penguins target=species").renderText(width: 80).contains("start the pipeline with imputer"))
    }

    @Test func crossValidation() {
        let s = fitted()
        let e = s.execute("cv p on iris target=variety folds=5")
        #expect(e.json().serialized().contains("\"scores\": [0.9666666666666667, 0.9666666666666667, 0.9333333333333333, 0.9, 1.0]"))
        #expect(e.renderText(width: 80).contains("accuracy 0.9533 ± 0.0340"))
        #expect(s.execute("cv p on iris target=variety folds=1").renderText(width: 80).contains("folds=1"))
    }

    @Test func helpForSteps() {
        let text = Session().execute("help gaussian_nb").renderText(width: 80)
        #expect(text.contains("var_smoothing") && text.contains("default 1e-09"))
    }
}

@Suite struct ImportanceCommandTests {
    @Test func impurityForTreesPermutationForOthers() {
        let s = irisSession()
        _ = s.execute("pipeline t = random_forest trees=50 max_depth=4 seed=1")
        _ = s.execute("fit t on iris target=variety stratify=true")
        let trees = s.execute("importance t")
        #expect(trees.ok && trees.renderText(width: 80).contains("impurity importance"))
        let json = trees.json().serialized()
        #expect(json.contains("\"method\": \"impurity\""))
        _ = s.execute("pipeline p = standard_scaler | knn k=3")
        _ = s.execute("fit p on iris target=variety")
        #expect(s.execute("importance p").renderText(width: 80).contains("permutation importance"))
        #expect(s.execute("importance p method=impurity").renderText(width: 80).contains("use method=permutation"))
    }
}

@Suite struct SearchCommandTests {
    @Test func gridSearchRanksByCrossValidation() throws {
        let s = irisSession()
        _ = s.execute("pipeline p = standard_scaler | knn k=3")
        let e = s.execute("search p on iris target=variety k=1,3,5")
        #expect(e.ok, "\(e.renderText(width: 80))")
        let json = e.json().serialized()
        // k=3 scores what cross_val_score gives for the same pipeline (0.9533…).
        #expect(json.contains("{\"parameters\": {\"k\": \"3\"}, \"accuracy\": 0.9533333333333334"))
        #expect(try s.pipeline("p_best").recipe.steps.count == 2)
        #expect(s.execute("search p on iris target=variety").renderText(width: 80).contains("at least one parameter"))
        #expect(s.execute("search p on iris target=variety C=1,2").renderText(width: 80).contains("no step of p has a parameter"))
        #expect(s.execute("search p on iris target=variety k=1,2,3,4 random=2 seed=3").json().serialized().components(separatedBy: "\"parameters\"").count == 3)
    }

    /// scikit-learn's parameter names are case-sensitive everywhere: `C` sweeps logistic regression's C, a
    /// step-qualified name addresses one step, and `c` is refused with a did-you-mean.
    @Test func parameterNamesKeepTheirCase() throws {
        let s = irisSession()
        _ = s.execute("pipeline lr = standard_scaler | logistic_regression")
        let e = s.execute("search lr on iris target=variety C=0.01,0.1,1 folds=3")
        #expect(e.ok, "\(e.renderText(width: 100))")
        #expect(e.json().serialized().contains("{\"parameters\": {\"C\": \"0.01\"}"))
        let best = try s.pipeline("lr_best").recipe.estimator.parameterList.first { $0.name == "C" }?.value
        #expect(["0.01", "0.1", "1"].contains(best ?? ""))
        let qualified = s.execute("search lr on iris target=variety logistic_regression.C=0.5,2 folds=3")
        #expect(qualified.ok, "\(qualified.renderText(width: 100))")
        let lower = s.execute("search lr on iris target=variety c=1,2").renderText(width: 100)
        #expect(lower.contains("no step of lr has a parameter \"c\"") && lower.contains("did you mean C?"), "\(lower)")
        #expect(!s.execute("pipeline bad = logistic_regression c=1").ok)
        #expect(s.execute("pipeline good = logistic_regression C=0.5").renderText(width: 80).contains("C=0.5"))
    }
}

/// `help STEP` lists every declared parameter of every registered step.
@Suite struct StepHelpTests {
    @Test(arguments: Steps.all.map(\.name)) func helpListsEveryParameter(_ name: String) throws {
        let text = Session().execute("help \(name)").renderText(width: 120)
        #expect(text.hasPrefix("\(name) — "), "\(text)")
        let entry = try #require(Steps.entry(named: name))
        for p in entry.parameters {
            #expect(text.contains(p.name) && text.contains(p.help), "\(name): \(p.name) missing from help")
        }
        if entry.parameters.isEmpty { #expect(text.contains("no parameters")) }
    }
}

@Suite struct TimeSplitTests {
    @Test func orderByHoldsOutTheLatestRows() throws {
        let s = Session()
        _ = s.execute("open \(Repo.path("samples/seattle-weather.csv")) as weather")
        _ = s.execute("pipeline lin = linear_regression")
        let e = s.execute("fit lin on weather target=temp_max order_by=date test=0.25")
        #expect(e.ok, "\(e.renderText(width: 80))")
        #expect(e.renderText(width: 80).contains("left the date column date out of the features"))
        let fit = try #require(try s.pipeline("lin").fit)
        let dates = try s.dataset("weather").frame.requireColumn("date")
        // Every test day comes after every training day.
        let lastTrain = fit.split.train.map { dates[$0].plainText }.max() ?? ""
        let firstTest = fit.split.test.map { dates[$0].plainText }.min() ?? ""
        #expect(lastTrain < firstTest && firstTest == "2014-12-31")  // the last 366 of 1,461 days
    }
}

@Suite struct ColumnRoutingTests {
    @Test func transformsTakeColumnsByNameOrType() {
        let s = Session()
        _ = s.execute("open \(Repo.path("samples/penguins.csv"))")
        let p = s.execute("pipeline c = imputer columns=number | standard_scaler columns=bill_length_mm,body_mass_g | knn k=5")
        #expect(p.renderText(width: 80).contains("standard_scaler  with_mean=true with_std=true columns=bill_length_mm,body_mass_g"))
        #expect(s.execute("fit c on penguins target=species").ok)
        #expect(s.execute("pipeline bad = knn columns=sex").renderText(width: 80).contains("the estimator and sees every feature"))
        _ = s.execute("pipeline typo = standard_scaler columns=bill | knn")
        _ = s.execute("pipeline typo2 = imputer | standard_scaler columns=bill | knn")
        #expect(s.execute("fit typo2 on penguins target=species").renderText(width: 80).contains("columns= names \"bill\", which is not a feature"))
    }
}

@Suite struct EncodingStepTests {
    @Test func ordinalCrossAndAutoEncode() throws {
        let s = Session()
        _ = s.execute("open \(Repo.path("samples/penguins.csv"))")
        _ = s.execute("pipeline o = ordinal columns=sex | feature_cross columns=island,sex | imputer | logistic_regression")
        #expect(s.execute("fit o on penguins target=species").ok)
        let schema = try #require(try s.pipeline("o").fit).model.schema
        #expect(schema.features.contains("sex"))                         // one ordinal column, not sex=female/sex=male
        #expect(schema.features.contains("island×sex=Biscoe×female"))
        #expect(!schema.features.contains("sex=male"))
        _ = s.execute("pipeline q = imputer | knn")
        #expect(s.execute("fit q on penguins target=species auto_encode=off").renderText(width: 80).contains("auto_encode=off"))
        _ = s.execute("pipeline x = feature_cross columns=island | imputer | knn")
        #expect(s.execute("fit x on penguins target=species").renderText(width: 80).contains("exactly two columns"))
    }
}

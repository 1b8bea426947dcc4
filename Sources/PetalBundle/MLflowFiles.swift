import Foundation
import PetalData
import PetalML

/// The files that let MLflow (and people) use a bundle without Petal: `MLmodel` with the onnx flavour and a
/// tensor signature, `python_env.yaml`, `requirements.txt`, and the bundle's `README.md`.
enum MLflowFiles {
    static let requirements = """
        mlflow>=2.9
        onnx>=1.14
        onnxruntime>=1.17
        numpy

        """

    static let pythonEnv = """
        python: "3.11"
        build_dependencies:
          - pip
        dependencies:
          - -r requirements.txt

        """

    /// The MLmodel YAML: onnx + python_function flavours, and the tensor signature (one input per column).
    static func mlmodel(_ m: BundleManifest) -> String {
        func spec(_ f: OutputField) -> String {
            let dtype: String
            switch f.type { case "double": dtype = "float64"; case "float": dtype = "float32"; case "int64": dtype = "int64"; default: dtype = "str" }
            return "{\"name\": \(quoted(f.name)), \"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"\(dtype)\", \"shape\": \(f.shape)}}"
        }
        let inputs = (m.onnx?.inputs ?? []).map(spec).joined(separator: ", ")
        let outputs = (m.onnx?.outputs ?? []).map(spec).joined(separator: ", ")
        return """
            artifact_path: model
            flavors:
              onnx:
                data: model.onnx
                onnx_version: 1.17.0
                providers:
                - CPUExecutionProvider
                code: null
              python_function:
                loader_module: mlflow.onnx
                data: model.onnx
                env:
                  virtualenv: python_env.yaml
                python_version: "3.11"
            signature:
              inputs: '[\(inputs.replacingOccurrences(of: "'", with: "''"))]'
              outputs: '[\(outputs.replacingOccurrences(of: "'", with: "''"))]'

            """
    }

    /// A JSON string literal (`JSONText`, the project's one escaping rule).
    static func quoted(_ s: String) -> String { JSONText.string(s) }

    /// A short README saying what the bundle is and how to serve it three ways.
    static func readme(_ m: BundleManifest) -> String {
        let example = m.inputs.map { f -> String in
            let v: String
            if f.type == .number { v = f.median.map { NumberFormatter.plain($0) } ?? "0" } else { v = quoted(f.categories?.first ?? "") }
            return "\(quoted(f.name)): [\(v)]"
        }.joined(separator: ", ")
        let records = m.inputs.map { f -> String in
            let v = f.type == .number ? (f.median.map { NumberFormatter.plain($0) } ?? "0") : quoted(f.categories?.first ?? "")
            return "\(quoted(f.name)): \(v)"
        }.joined(separator: ", ")
        let what: String
        switch m.task {
        case .classification: what = "classifies \(m.target) (\(m.classLabels.joined(separator: ", ")))"
        case .regression: what = "predicts \(m.target)"
        case .clustering: what = "assigns rows to clusters"
        }
        return """
            # \(m.name): a Petal serving bundle

            This model \(what) from \(m.inputs.map(\.name).joined(separator: ", ")).
            It is data only: `model.json` (Petal's own format) and `model.onnx` (ONNX-ML, IR 8, ai.onnx 17,
            ai.onnx.ml 3). `petal.json` lists the input schema, the training ranges and categories, the metrics and
            the SHA-256 of every file; Petal refuses to load a bundle whose files do not match it.

            ## Serve with Petal

                petal serve . --port 8080
                curl -s localhost:8080/invocations -H 'Content-Type: application/json' \\
                  -d '{"dataframe_records": [{\(records)}]}'
                petal predict . new_rows.csv -o predicted.csv

            ## Serve with MLflow

                mlflow models serve -m . --env-manager local --port 5000
                curl -s localhost:5000/invocations -H 'Content-Type: application/json' \\
                  -d '{"inputs": {\(example)}}'

            ## Run with onnxruntime

            Inputs: \(ONNXExporter.inputLayout).
            Outputs: \(m.outputs.map { "`\($0.name)` (\($0.type) \($0.shape))" }.joined(separator: ", ")).

                import numpy as np, onnxruntime as ort
                session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
                feeds = {\(m.inputs.map { "\(quoted($0.name)): np.array([...], dtype=\($0.type == .number ? "np.float64" : "object"))" }.joined(separator: ", "))}
                outputs = session.run(None, feeds)

            """
    }
}

enum NumberFormatter {
    /// A short plain number for examples.
    static func plain(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}

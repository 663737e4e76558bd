// "Consume" code: the programs of examples/clients, with this service's URI filled in and the
// credential left as a placeholder to paste (the console never puts a secret in copied code).

export type Language = "python" | "csharp" | "go" | "java" | "javascript" | "curl";
export const LANGUAGES: { id: Language; label: string }[] = [
  { id: "python", label: "Python (requests)" },
  { id: "csharp", label: "C# (HttpClient)" },
  { id: "go", label: "Go (net/http)" },
  { id: "java", label: "Java (java.net.http)" },
  { id: "javascript", label: "JavaScript (fetch)" },
  { id: "curl", label: "curl" },
];

export interface Target {
  scoringUri: string;
  authMode: "key" | "token" | "none";
  /** The request body: a JSON value, or null for a raw scorer fed from a file. */
  example: unknown;
  /** For a raw scorer: the Content-Type to send. */
  rawContentType?: string;
}

export function placeholder(authMode: Target["authMode"]): string | null {
  return authMode === "key" ? "<your-key>" : authMode === "token" ? "<your-token>" : null;
}

const RAW_FILE = "input.bin";

/**
 * JSON-like text with arrays of scalars on one line (a row of features reads as a row), nested
 * structures indented. `scalar` writes leaves, so the same layout serves JSON and Python.
 */
export function pretty(value: unknown, indent = "", scalar: (v: unknown) => string = (v) => JSON.stringify(v)): string {
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) {
      return `[${value.map(scalar).join(", ")}]`;
    }
    return `[\n${value.map((v) => inner + pretty(v, inner, scalar)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) {
      return "{}";
    }
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner, scalar)}`).join(",\n")}\n${indent}}`;
  }
  return scalar(value);
}

function python(value: unknown): string {
  return pretty(value, "", (v) => (v === null ? "None" : v === true ? "True" : v === false ? "False" : JSON.stringify(v)));
}

export function snippet(language: Language, t: Target): string {
  const secret = placeholder(t.authMode);
  const raw = t.example === null;
  const contentType = raw ? t.rawContentType || "application/octet-stream" : "application/json";
  const json = raw ? "" : pretty(t.example);
  const uri = JSON.stringify(t.scoringUri);
  switch (language) {
    case "python": {
      const credential = t.authMode === "key" ? "primary or secondary key" : "access token (it expires: ask for a new one after refreshAfter)";
      const lines = ["import json", "", "import requests", "", `scoring_uri = ${uri}`];
      if (secret) {
        lines.push(`key = "${secret}"  # the service's ${credential}`);
      }
      lines.push("");
      if (raw) {
        lines.push(`with open("${RAW_FILE}", "rb") as f:`, "    input_data = f.read()");
      } else {
        lines.push(`data = ${python(t.example)}`, "input_data = json.dumps(data)");
      }
      lines.push("", `headers = {"Content-Type": "${contentType}"${secret ? ', "Authorization": f"Bearer {key}"' : ""}}`,
        "resp = requests.post(scoring_uri, input_data, headers=headers)", "resp.raise_for_status()", "print(resp.text)");
      return lines.filter((l, i) => !(raw && i === 0) && !(raw && i === 1)).join("\n") + "\n";
    }
    case "javascript": {
      const headers = [`"Content-Type": "${contentType}"`];
      if (secret) {
        headers.push("Authorization: `Bearer ${key}`");
      }
      return [
        "// Node.js 18+ (save as consume.mjs) or a page the service's CORS origins allow.",
        `const scoringUri = ${uri};`,
        secret ? `const key = "${secret}";` : null,
        raw ? `const body = await (await import("node:fs/promises")).readFile("${RAW_FILE}");`
          : `const data = ${pretty(t.example)};`,
        "const response = await fetch(scoringUri, {",
        '  method: "POST",',
        `  headers: { ${headers.join(", ")} },`,
        raw ? "  body," : "  body: JSON.stringify(data),",
        "});",
        "if (!response.ok) {",
        "  throw new Error(`status ${response.status}: ${await response.text()}`);",
        "}",
        "console.log(await response.text());",
      ].filter((l) => l !== null).join("\n") + "\n";
    }
    case "curl": {
      const lines = [`curl -sS --fail-with-body ${shellQuote(t.scoringUri)} \\`];
      if (secret) {
        lines.push(`  -H "Authorization: Bearer ${secret}" \\`);
      }
      lines.push(`  -H "Content-Type: ${contentType}" \\`);
      lines.push(raw ? `  --data-binary @${RAW_FILE}` : `  -d ${shellQuote(JSON.stringify(t.example))}`);
      return lines.join("\n") + "\n";
    }
    case "go": {
      return [
        "package main",
        "",
        "import (",
        '\t"bytes"',
        '\t"fmt"',
        '\t"io"',
        '\t"net/http"',
        '\t"os"',
        ")",
        "",
        "func main() {",
        `\tscoringURI := ${uri}`,
        secret ? `\tkey := "${secret}"` : null,
        raw ? `\tbody, err := os.ReadFile("${RAW_FILE}")\n\tif err != nil {\n\t\tpanic(err)\n\t}`
          : `\tbody := []byte(\`${json.replace(/`/g, "` + \"`\" + `").replace(/\n/g, "\n\t")}\`)`,
        '\treq, err := http.NewRequest("POST", scoringURI, bytes.NewReader(body))',
        "\tif err != nil {",
        "\t\tpanic(err)",
        "\t}",
        `\treq.Header.Set("Content-Type", "${contentType}")`,
        secret ? '\treq.Header.Set("Authorization", "Bearer "+key)' : null,
        "\tresp, err := http.DefaultClient.Do(req)",
        "\tif err != nil {",
        "\t\tpanic(err)",
        "\t}",
        "\tdefer resp.Body.Close()",
        "\tout, _ := io.ReadAll(resp.Body)",
        "\tif resp.StatusCode != 200 {",
        '\t\tfmt.Fprintf(os.Stderr, "status %d: %s\\n", resp.StatusCode, out)',
        "\t\tos.Exit(1)",
        "\t}",
        "\tfmt.Println(string(out))",
        "}",
      ].filter((l) => l !== null).join("\n") + "\n";
    }
    case "java": {
      const block = json.replace(/\\/g, "\\\\").replace(/"""/g, '\\"""').split("\n").map((l) => "                " + l).join("\n");
      return [
        "import java.net.URI;",
        "import java.net.http.HttpClient;",
        "import java.net.http.HttpRequest;",
        "import java.net.http.HttpResponse;",
        raw ? "import java.nio.file.Path;" : null,
        "",
        "public class Consume {",
        "    public static void main(String[] args) throws Exception {",
        `        String scoringUri = ${uri};`,
        secret ? `        String key = "${secret}";` : null,
        raw ? `        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofFile(Path.of("${RAW_FILE}"));`
          : `        String json = """\n${block}\n                """;`,
        "        HttpRequest request = HttpRequest.newBuilder(URI.create(scoringUri))",
        `                .header("Content-Type", "${contentType}")`,
        secret ? '                .header("Authorization", "Bearer " + key)' : null,
        raw ? "                .POST(body)" : "                .POST(HttpRequest.BodyPublishers.ofString(json))",
        "                .build();",
        "        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());",
        "        if (response.statusCode() != 200) {",
        '            System.err.println("status " + response.statusCode() + ": " + response.body());',
        "            System.exit(1);",
        "        }",
        "        System.out.println(response.body());",
        "    }",
        "}",
      ].filter((l) => l !== null).join("\n") + "\n";
    }
    case "csharp": {
      const verbatim = json.replace(/"/g, '""').split("\n").join("\n            ");
      return [
        "using System;",
        raw ? "using System.IO;" : null,
        "using System.Net.Http;",
        "using System.Net.Http.Headers;",
        "using System.Text;",
        "using System.Threading.Tasks;",
        "",
        "class Program",
        "{",
        "    static async Task Main()",
        "    {",
        `        var scoringUri = ${uri};`,
        secret ? `        var key = "${secret}";` : null,
        "        using var client = new HttpClient();",
        secret ? '        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);' : null,
        raw ? `        var content = new ByteArrayContent(File.ReadAllBytes("${RAW_FILE}"));\n        content.Headers.ContentType = new MediaTypeHeaderValue("${contentType}");`
          : `        var json = @"${verbatim}";\n        var content = new StringContent(json, Encoding.UTF8, "application/json");`,
        "        var response = await client.PostAsync(scoringUri, content);",
        "        var result = await response.Content.ReadAsStringAsync();",
        "        if (!response.IsSuccessStatusCode)",
        "        {",
        '            Console.Error.WriteLine($"status {(int)response.StatusCode}: {result}");',
        "            Environment.Exit(1);",
        "        }",
        "        Console.WriteLine(result);",
        "    }",
        "}",
      ].filter((l) => l !== null).join("\n") + "\n";
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

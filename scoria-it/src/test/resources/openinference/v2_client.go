// An Open Inference Protocol (KServe/Triton "V2") REST client written from the protocol's specification
// and Triton's binary tensor data extension, with net/http and the standard library only. It scores the
// two documented rows on a server's demo service twice, as JSON and with binary tensor data both ways,
// and prints each answer.
//
// Usage: go run v2_client.go BASE_URL KEY
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
)

const headerLength = "Inference-Header-Content-Length"

var rows = []float64{
	0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
	-0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807,
	-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,
	0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303,
}

type parameters map[string]interface{}

type requestInput struct {
	Name       string     `json:"name"`
	Shape      []int64    `json:"shape"`
	Datatype   string     `json:"datatype"`
	Parameters parameters `json:"parameters,omitempty"`
	Data       []float64  `json:"data,omitempty"`
}

type requestOutput struct {
	Name       string     `json:"name"`
	Parameters parameters `json:"parameters,omitempty"`
}

type inferenceRequest struct {
	ID      string          `json:"id,omitempty"`
	Inputs  []requestInput  `json:"inputs"`
	Outputs []requestOutput `json:"outputs,omitempty"`
}

type responseOutput struct {
	Name       string          `json:"name"`
	Shape      []int64         `json:"shape"`
	Datatype   string          `json:"datatype"`
	Parameters parameters      `json:"parameters"`
	Data       json.RawMessage `json:"data"`
}

type inferenceResponse struct {
	ModelName    string           `json:"model_name"`
	ModelVersion string           `json:"model_version"`
	ID           string           `json:"id"`
	Outputs      []responseOutput `json:"outputs"`
}

// infer posts the request (with binaryData, if any, after the JSON) and answers the response, with the
// binary part of the body that holds outputs sent as binary data.
func infer(url, key string, request inferenceRequest, binaryData []byte) (inferenceResponse, []byte) {
	header, err := json.Marshal(request)
	if err != nil {
		panic(err)
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(append(header, binaryData...)))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if binaryData != nil {
		req.Header.Set("Content-Type", "application/octet-stream")
		req.Header.Set(headerLength, strconv.Itoa(len(header)))
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	if resp.StatusCode != 200 {
		var e struct {
			Error string `json:"error"`
		}
		json.Unmarshal(body, &e)
		fmt.Fprintf(os.Stderr, "status %d: %s\n", resp.StatusCode, e.Error)
		os.Exit(1)
	}
	jsonLength := len(body)
	if v := resp.Header.Get(headerLength); v != "" {
		if jsonLength, err = strconv.Atoi(v); err != nil {
			panic(err)
		}
	}
	var answer inferenceResponse
	if err := json.Unmarshal(body[:jsonLength], &answer); err != nil {
		panic(err)
	}
	return answer, body[jsonLength:]
}

func format(values []float64) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func main() {
	base, key := strings.TrimRight(os.Args[1], "/"), os.Args[2]
	url := base + "/v2/models/myservice/infer"

	// JSON both ways.
	answer, _ := infer(url, key, inferenceRequest{ID: "go-json", Inputs: []requestInput{
		{Name: "input", Shape: []int64{2, 10}, Datatype: "FP64", Data: rows}}}, nil)
	var values []float64
	if err := json.Unmarshal(answer.Outputs[0].Data, &values); err != nil {
		panic(err)
	}
	fmt.Printf("json %s %s %s %s %v %s\n", answer.ModelName, answer.ID, answer.Outputs[0].Name, answer.Outputs[0].Datatype,
		answer.Outputs[0].Shape, format(values))

	// Binary tensor data both ways: FP64 little-endian after the JSON header.
	in := new(bytes.Buffer)
	if err := binary.Write(in, binary.LittleEndian, rows); err != nil {
		panic(err)
	}
	answer, tail := infer(url, key, inferenceRequest{ID: "go-binary",
		Inputs: []requestInput{{Name: "input", Shape: []int64{2, 10}, Datatype: "FP64",
			Parameters: parameters{"binary_data_size": in.Len()}}},
		Outputs: []requestOutput{{Name: "output", Parameters: parameters{"binary_data": true}}}}, in.Bytes())
	output := answer.Outputs[0]
	size, ok := output.Parameters["binary_data_size"].(float64)
	if !ok || output.Data != nil || int(size) != len(tail) {
		fmt.Fprintf(os.Stderr, "expected the output as binary data of %d bytes, saw parameters %v and data %s\n",
			len(tail), output.Parameters, output.Data)
		os.Exit(1)
	}
	values = make([]float64, len(tail)/8)
	for i := range values {
		values[i] = math.Float64frombits(binary.LittleEndian.Uint64(tail[i*8:]))
	}
	fmt.Printf("binary %s %s %s %s %v %s\n", answer.ModelName, answer.ID, output.Name, output.Datatype, output.Shape,
		format(values))
}

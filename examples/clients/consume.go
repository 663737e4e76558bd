// Calls a Scoria service the way Azure ML's documentation calls a web service, with net/http.
//
// Usage: go run consume.go SCORING_URI KEY
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

type inputData struct {
	Data [][]float64 `json:"data"`
}

func main() {
	scoringURI, key := os.Args[1], os.Args[2]
	data := inputData{Data: [][]float64{
		{0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
			-0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807},
		{-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,
			0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303},
	}}
	body, _ := json.Marshal(data)
	req, err := http.NewRequest("POST", scoringURI, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		fmt.Fprintf(os.Stderr, "status %d: %s\n", resp.StatusCode, out)
		os.Exit(1)
	}
	fmt.Println(string(out))
}

module pipeline-resilient

go 1.19

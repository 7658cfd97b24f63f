module pipeline-basics

go 1.19

module example.com/cpfixture

go 1.19

require example.com/shared v1.1.0

replace example.com/shared => example.com/shared v1.0.0

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "domain" {
  type    = string
  default = "example.com"
}

variable "zone_id" {
  type    = string
  default = "Z0123456789ABCDEFGHIJ"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

variable "ami_id" {
  type    = string
  default = "ami-0c1b2d3e4f5a6b7c8"
}
